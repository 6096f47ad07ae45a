"""Enrolment: enrolments, attendance, assessment results, certificates; class seats

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 04:59:02.619212
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enrolments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("class_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("voucher_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("state", sa.String(length=15), nullable=False),
        sa.Column("value_fen", sa.Integer(), nullable=True),
        sa.Column("budget_reserved_fen", sa.Integer(), nullable=False),
        sa.Column("worker_pays", sa.Boolean(), nullable=False),
        sa.Column("verified_by", sa.String(length=100), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=500), nullable=True),
        sa.Column("voucher_outcome", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'enrolled', 'cancelled', 'completed', 'not_completed')",
            name=op.f("ck_enrolments_state"),
        ),
        sa.CheckConstraint("value_fen IS NULL OR value_fen >= 0", name=op.f("ck_enrolments_value_not_negative")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_enrolments_class_id_classes")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_enrolments_person_id_persons")),
        sa.ForeignKeyConstraint(["voucher_id"], ["vouchers.id"], name=op.f("fk_enrolments_voucher_id_vouchers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index("ix_enrolments_class", ["class_id", "state"], unique=False)
        batch_op.create_index("ix_enrolments_person", ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_voucher_id"), ["voucher_id"], unique=False)
        batch_op.create_index(
            "uq_enrolments_class_person_active",
            ["class_id", "person_id"],
            unique=True,
            postgresql_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
            sqlite_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
        )
        batch_op.create_index(
            "uq_enrolments_voucher_active",
            ["voucher_id"],
            unique=True,
            postgresql_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
            sqlite_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
        )

    op.create_table(
        "assessment_results",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("enrolment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("assessment_body_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_body_id"],
            ["assessment_bodies.id"],
            name=op.f("fk_assessment_results_assessment_body_id_assessment_bodies"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolments.id"], name=op.f("fk_assessment_results_enrolment_id_enrolments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_results")),
        sa.UniqueConstraint("enrolment_id", name=op.f("uq_assessment_results_enrolment_id")),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("enrolment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("session_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("prompt", sa.SmallInteger(), nullable=False),
        sa.Column("evidence", sa.String(length=20), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("network_address", sa.String(length=45), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "evidence IN ('self_scan', 'online_prompt', 'institution_file')", name=op.f("ck_attendance_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolments.id"], name=op.f("fk_attendance_enrolment_id_enrolments")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["class_sessions.id"], name=op.f("fk_attendance_session_id_class_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("enrolment_id", "session_id", "prompt", name="uq_attendance_once"),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_session_id"), ["session_id"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("serial", sa.String(length=24), nullable=False),
        sa.Column("enrolment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("occupation_code", sa.String(length=10), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("institution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("assessment_body_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("class_start", sa.Date(), nullable=False),
        sa.Column("class_end", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name=op.f("ck_certificates_level")),
        sa.ForeignKeyConstraint(
            ["assessment_body_id"],
            ["assessment_bodies.id"],
            name=op.f("fk_certificates_assessment_body_id_assessment_bodies"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolments.id"], name=op.f("fk_certificates_enrolment_id_enrolments")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_certificates_institution_id_institutions")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_certificates_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("enrolment_id", name=op.f("uq_certificates_enrolment_id")),
        sa.UniqueConstraint("serial", name=op.f("uq_certificates_serial")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enrolled_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_check_constraint(op.f("ck_classes_seats"), "enrolled_count BETWEEN 0 AND capacity")

    with op.batch_alter_table("voucher_policies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("late_cancellation", sa.String(length=10), server_default="release", nullable=False)
        )
        batch_op.add_column(sa.Column("attendance_percent", sa.SmallInteger(), server_default="80", nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_voucher_policies_late_cancellation"), "late_cancellation IN ('release', 'forfeit')"
        )
        batch_op.create_check_constraint(
            op.f("ck_voucher_policies_attendance_percent"), "attendance_percent BETWEEN 1 AND 100"
        )

    # A voucher forfeited by a late cancellation is a state of its own.
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vouchers_state"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_vouchers_state"),
            "state IN ('issued', 'claimed', 'reserved', 'used', 'expired', 'revoked', 'forfeited')",
        )


def downgrade() -> None:
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vouchers_state"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_vouchers_state"), "state IN ('issued', 'claimed', 'reserved', 'used', 'expired', 'revoked')"
        )

    with op.batch_alter_table("voucher_policies", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_voucher_policies_attendance_percent"), type_="check")
        batch_op.drop_constraint(op.f("ck_voucher_policies_late_cancellation"), type_="check")
        batch_op.drop_column("attendance_percent")
        batch_op.drop_column("late_cancellation")

    with op.batch_alter_table("classes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_classes_seats"), type_="check")
        batch_op.drop_column("enrolled_count")

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_person_id"))

    op.drop_table("certificates")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_session_id"))

    op.drop_table("attendance")
    op.drop_table("assessment_results")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_enrolments_voucher_active",
            postgresql_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
            sqlite_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
        )
        batch_op.drop_index(
            "uq_enrolments_class_person_active",
            postgresql_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
            sqlite_where=sa.text("state IN ('enrolled', 'completed', 'not_completed')"),
        )
        batch_op.drop_index(batch_op.f("ix_enrolments_voucher_id"))
        batch_op.drop_index("ix_enrolments_person")
        batch_op.drop_index("ix_enrolments_class")

    op.drop_table("enrolments")
