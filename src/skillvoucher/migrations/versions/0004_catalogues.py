"""Catalogues: institutions, assessment bodies, demand catalogue, courses, classes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 03:08:36.973604
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# PostgreSQL only: no two active demand entries for one region × occupation × level overlap in time, even when two
# officers write at once (SQLite serializes writers and relies on the check in training.demand).
EXCLUSION = (
    "ALTER TABLE demand_entries ADD CONSTRAINT ex_demand_entries_no_overlap EXCLUDE USING gist ("
    "region_code WITH =, occupation_edition WITH =, occupation_code WITH =, level WITH =, "
    "daterange(valid_from, valid_to, '[]') WITH &&) WHERE (superseded_at IS NULL)"
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgres():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trigram index for course keyword search
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")  # equality on plain columns inside EXCLUDE
    op.create_table(
        "assessment_bodies",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_assessment_bodies_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_bodies")),
        sa.UniqueConstraint("uscc", name=op.f("uq_assessment_bodies_uscc")),
    )
    with op.batch_alter_table("assessment_bodies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_bodies_region_code"), ["region_code"], unique=False)

    op.create_table(
        "demand_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("occupation_edition", sa.String(length=10), nullable=False),
        sa.Column("occupation_code", sa.String(length=10), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("subsidy_fen", sa.Integer(), nullable=False),
        sa.Column("standard_hours", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=10), nullable=False),
        sa.Column("uplift_percent", sa.SmallInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("flag <> 'none' OR uplift_percent = 0", name=op.f("ck_demand_entries_uplift_needs_flag")),
        sa.CheckConstraint("flag IN ('none', 'shortage', 'key')", name=op.f("ck_demand_entries_flag")),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_demand_entries_level")),
        sa.CheckConstraint("standard_hours > 0", name=op.f("ck_demand_entries_hours_positive")),
        sa.CheckConstraint("subsidy_fen >= 0", name=op.f("ck_demand_entries_subsidy_not_negative")),
        sa.CheckConstraint("uplift_percent BETWEEN 0 AND 100", name=op.f("ck_demand_entries_uplift")),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_demand_entries_period")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_demand_entries_version")),
        sa.ForeignKeyConstraint(
            ["occupation_edition", "occupation_code"],
            ["occupations.edition", "occupations.code"],
            name="fk_demand_entries_occupation_occupations",
        ),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_demand_entries_region_code_regions")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["demand_entries.id"], name=op.f("fk_demand_entries_supersedes_id_demand_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_entries")),
    )
    with op.batch_alter_table("demand_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_demand_entries_key", ["region_code", "occupation_code", "level", "valid_from"], unique=False
        )

    op.create_table(
        "institutions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=30), nullable=False),
        sa.Column("bank_name", sa.String(length=100), nullable=True),
        sa.Column("bank_account_name", sa.String(length=200), nullable=True),
        sa.Column("bank_account_number", sa.String(length=40), nullable=True),
        sa.Column("accreditation", sa.String(length=20), nullable=False),
        sa.Column("accreditation_reason", sa.String(length=500), nullable=False),
        sa.Column("accreditation_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "accreditation IN ('applied', 'accredited', 'under_review', 'payments_suspended', 'delisted')",
            name=op.f("ck_institutions_accreditation"),
        ),
        sa.CheckConstraint(
            "kind IN ('private_school', 'vocational_college', 'technician_college', 'enterprise', 'public_centre', 'other')",
            name=op.f("ck_institutions_kind"),
        ),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_institutions_region_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("uscc", name=op.f("uq_institutions_uscc")),
    )
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institutions_accreditation"), ["accreditation"], unique=False)
        batch_op.create_index(batch_op.f("ix_institutions_region_code"), ["region_code"], unique=False)

    op.create_table(
        "bank_account_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("bank_name", sa.String(length=100), nullable=False),
        sa.Column("bank_account_name", sa.String(length=200), nullable=False),
        sa.Column("bank_account_number", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'approved', 'rejected')", name=op.f("ck_bank_account_changes_state")),
        sa.CheckConstraint(
            "decided_by IS NULL OR decided_by <> requested_by", name=op.f("ck_bank_account_changes_maker_checker")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_bank_account_changes_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_account_changes")),
    )
    with op.batch_alter_table("bank_account_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_account_changes_institution_id"), ["institution_id"], unique=False)
        batch_op.create_index(
            "uq_bank_account_changes_one_pending",
            ["institution_id"],
            unique=True,
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )

    op.create_table(
        "courses",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("occupation_edition", sa.String(length=10), nullable=False),
        sa.Column("occupation_code", sa.String(length=10), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("open_enrolment", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('in_person', 'online', 'mixed')", name=op.f("ck_courses_mode")),
        sa.CheckConstraint("status IN ('published', 'withdrawn')", name=op.f("ck_courses_status")),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_courses_capacity_positive")),
        sa.CheckConstraint("hours > 0", name=op.f("ck_courses_hours_positive")),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_courses_level")),
        sa.CheckConstraint("price_fen >= 0", name=op.f("ck_courses_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_courses_institution_id_institutions")
        ),
        sa.ForeignKeyConstraint(
            ["occupation_edition", "occupation_code"],
            ["occupations.edition", "occupations.code"],
            name="fk_courses_occupation_occupations",
        ),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_courses_region_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courses_institution_id"), ["institution_id"], unique=False)
        batch_op.create_index("ix_courses_listing", ["status", "region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_courses_occupation_code"), ["occupation_code"], unique=False)
        batch_op.create_index(
            "ix_courses_search_text",
            ["search_text"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )

    op.create_table(
        "institution_scopes",
        sa.Column(
            "institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False
        ),
        sa.Column("occupation_edition", sa.String(length=10), nullable=False),
        sa.Column("occupation_code", sa.String(length=10), nullable=False),
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_institution_scopes_level")),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_institution_scopes_institution_id_institutions")
        ),
        sa.ForeignKeyConstraint(
            ["occupation_edition", "occupation_code"],
            ["occupations.edition", "occupations.code"],
            name="fk_institution_scopes_occupation_occupations",
        ),
        sa.PrimaryKeyConstraint(
            "institution_id", "occupation_edition", "occupation_code", "level", name=op.f("pk_institution_scopes")
        ),
    )
    op.create_table(
        "classes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("course_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("assessment_plan", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("applied_by", sa.String(length=100), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('applied', 'approved', 'rejected', 'cancelled')", name=op.f("ck_classes_state")),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_classes_capacity_positive")),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_classes_dates")),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], name=op.f("fk_classes_course_id_courses")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classes")),
    )
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_classes_course_id"), ["course_id"], unique=False)
        batch_op.create_index("ix_classes_upcoming", ["state", "start_date", "course_id"], unique=False)

    op.create_table(
        "class_sessions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("class_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_class_sessions_times")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_class_sessions_class_id_classes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_sessions")),
    )
    with op.batch_alter_table("class_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_sessions_class_id"), ["class_id"], unique=False)

    op.create_table(
        "class_teachers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("class_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("qualification", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_class_teachers_class_id_classes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_teachers")),
    )
    with op.batch_alter_table("class_teachers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_teachers_class_id"), ["class_id"], unique=False)

    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_api_keys_institution_id_institutions"), "institutions", ["institution_id"], ["id"]
        )

    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_staff_accounts_institution_id_institutions"), "institutions", ["institution_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_staff_accounts_assessment_body_id_assessment_bodies"),
            "assessment_bodies",
            ["assessment_body_id"],
            ["id"],
        )
    if _postgres():
        op.execute(EXCLUSION)


def downgrade() -> None:
    if _postgres():
        op.execute("ALTER TABLE demand_entries DROP CONSTRAINT ex_demand_entries_no_overlap")
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_staff_accounts_assessment_body_id_assessment_bodies"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_staff_accounts_institution_id_institutions"), type_="foreignkey")

    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_keys_institution_id_institutions"), type_="foreignkey")

    with op.batch_alter_table("class_teachers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_teachers_class_id"))

    op.drop_table("class_teachers")
    with op.batch_alter_table("class_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_sessions_class_id"))

    op.drop_table("class_sessions")
    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.drop_index("ix_classes_upcoming")
        batch_op.drop_index(batch_op.f("ix_classes_course_id"))

    op.drop_table("classes")
    op.drop_table("institution_scopes")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_courses_search_text", postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"}
        )
        batch_op.drop_index(batch_op.f("ix_courses_occupation_code"))
        batch_op.drop_index("ix_courses_listing")
        batch_op.drop_index(batch_op.f("ix_courses_institution_id"))

    op.drop_table("courses")
    with op.batch_alter_table("bank_account_changes", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_bank_account_changes_one_pending",
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_bank_account_changes_institution_id"))

    op.drop_table("bank_account_changes")
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institutions_region_code"))
        batch_op.drop_index(batch_op.f("ix_institutions_accreditation"))

    op.drop_table("institutions")
    with op.batch_alter_table("demand_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_demand_entries_key")

    op.drop_table("demand_entries")
    with op.batch_alter_table("assessment_bodies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_bodies_region_code"))

    op.drop_table("assessment_bodies")
