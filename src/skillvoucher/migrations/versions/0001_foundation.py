"""foundation: reference data, persons, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-28 02:07:54.234187
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("subject_type", sa.String(length=50), nullable=False),
        sa.Column("subject_id", sa.String(length=100), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "occupations",
        sa.Column("edition", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("tier", sa.SmallInteger(), nullable=False),
        sa.Column("parent_code", sa.String(length=10), nullable=True),
        sa.Column("green", sa.Boolean(), nullable=False),
        sa.Column("digital", sa.Boolean(), nullable=False),
        sa.CheckConstraint("tier BETWEEN 1 AND 4", name=op.f("ck_occupations_tier")),
        sa.PrimaryKeyConstraint("edition", "code", name=op.f("pk_occupations")),
    )
    op.create_table(
        "person_imports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_existing", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("error_report", sa.String(length=500), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('running', 'finished', 'refused')", name=op.f("ck_person_imports_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_imports")),
    )
    with op.batch_alter_table("person_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_imports_file_sha256"), ["file_sha256"], unique=False)

    op.create_table(
        "regions",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_code", sa.String(length=6), nullable=True),
        sa.Column("province_code", sa.String(length=6), nullable=False),
        sa.Column("pilot", sa.Boolean(), nullable=False),
        sa.CheckConstraint("level IN ('province', 'city', 'county')", name=op.f("ck_regions_level")),
        sa.ForeignKeyConstraint(["parent_code"], ["regions.code"], name=op.f("fk_regions_parent_code_regions")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regions_parent_code"), ["parent_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_regions_province_code"), ["province_code"], unique=False)

    op.create_table(
        "skill_levels",
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name_zh", sa.String(length=20), nullable=False),
        sa.Column("name_en", sa.String(length=40), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_skill_levels_level")),
        sa.PrimaryKeyConstraint("level", name=op.f("pk_skill_levels")),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id_number_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("id_number_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("phone_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("phone_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("population_groups", sa.Integer(), nullable=False),
        sa.Column("employment_status", sa.String(length=20), nullable=False),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("gender IN ('M', 'F')", name=op.f("ck_persons_gender")),
        sa.CheckConstraint("population_groups >= 0", name=op.f("ck_persons_population_groups")),
        sa.ForeignKeyConstraint(["import_id"], ["person_imports.id"], name=op.f("fk_persons_import_id_person_imports")),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"], name=op.f("fk_persons_region_code_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("id_number_hash", name=op.f("uq_persons_id_number_hash")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_import_id"), ["import_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_phone_hash"), ["phone_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_region_code"), ["region_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_region_code"))
        batch_op.drop_index(batch_op.f("ix_persons_phone_hash"))
        batch_op.drop_index(batch_op.f("ix_persons_import_id"))

    op.drop_table("persons")
    op.drop_table("skill_levels")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_province_code"))
        batch_op.drop_index(batch_op.f("ix_regions_parent_code"))

    op.drop_table("regions")
    with op.batch_alter_table("person_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_imports_file_sha256"))

    op.drop_table("person_imports")
    op.drop_table("occupations")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
