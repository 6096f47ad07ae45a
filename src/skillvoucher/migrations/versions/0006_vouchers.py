"""Vouchers: policies, vouchers, signing keys; jobs; class rosters

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 04:44:41.291642
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'finished', 'failed')", name=op.f("ck_jobs_state")),
        sa.CheckConstraint("done >= 0", name=op.f("ck_jobs_done_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_kind_subject", ["kind", "subject_id"], unique=False)
        batch_op.create_index("ix_jobs_state", ["state"], unique=False)

    op.create_table(
        "voucher_signing_keys",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("private_key_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_voucher_signing_keys")),
    )
    op.create_table(
        "class_trainees",
        sa.Column("class_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_class_trainees_class_id_classes")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_class_trainees_person_id_persons")),
        sa.PrimaryKeyConstraint("class_id", "person_id", name=op.f("pk_class_trainees")),
    )
    with op.batch_alter_table("class_trainees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_trainees_person_id"), ["person_id"], unique=False)

    op.create_table(
        "voucher_policies",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("funding_source", sa.String(length=200), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("usage", sa.JSON(), nullable=False),
        sa.Column("value_rule", sa.JSON(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("valid_days", sa.Integer(), nullable=True),
        sa.Column("budget_cap_fen", sa.BigInteger(), nullable=True),
        sa.Column("quantity_cap", sa.Integer(), nullable=True),
        sa.Column("once_per_occupation_level", sa.Boolean(), nullable=False),
        sa.Column("yearly_limit", sa.SmallInteger(), nullable=True),
        sa.Column("claimable", sa.Boolean(), nullable=False),
        sa.Column("target_class_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("issued_count", sa.Integer(), nullable=False),
        sa.Column("committed_fen", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('face_value', 'general', 'targeted', 'no_face_value')", name=op.f("ck_voucher_policies_kind")
        ),
        sa.CheckConstraint("state IN ('open', 'closed')", name=op.f("ck_voucher_policies_state")),
        sa.CheckConstraint(
            "(valid_until IS NULL) <> (valid_days IS NULL)", name=op.f("ck_voucher_policies_one_validity")
        ),
        sa.CheckConstraint(
            "budget_cap_fen IS NULL OR budget_cap_fen >= 0", name=op.f("ck_voucher_policies_budget_cap")
        ),
        sa.CheckConstraint(
            "budget_cap_fen IS NULL OR committed_fen <= budget_cap_fen",
            name=op.f("ck_voucher_policies_within_budget_cap"),
        ),
        sa.CheckConstraint("closes_on >= opens_on", name=op.f("ck_voucher_policies_window")),
        sa.CheckConstraint("issued_count >= 0 AND committed_fen >= 0", name=op.f("ck_voucher_policies_counters")),
        sa.CheckConstraint(
            "quantity_cap IS NULL OR issued_count <= quantity_cap", name=op.f("ck_voucher_policies_within_quantity_cap")
        ),
        sa.CheckConstraint("quantity_cap IS NULL OR quantity_cap >= 0", name=op.f("ck_voucher_policies_quantity_cap")),
        sa.CheckConstraint(
            "valid_days IS NULL OR valid_days > 0", name=op.f("ck_voucher_policies_valid_days_positive")
        ),
        sa.CheckConstraint("yearly_limit IS NULL OR yearly_limit > 0", name=op.f("ck_voucher_policies_yearly_limit")),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_voucher_policies_region_code_regions")
        ),
        sa.ForeignKeyConstraint(
            ["target_class_id"], ["classes.id"], name=op.f("fk_voucher_policies_target_class_id_classes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_policies")),
    )
    with op.batch_alter_table("voucher_policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voucher_policies_region_code"), ["region_code"], unique=False)

    op.create_table(
        "vouchers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("policy_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("value_fen", sa.Integer(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("issued_year", sa.SmallInteger(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "state IN ('issued', 'claimed', 'reserved', 'used', 'expired', 'revoked')", name=op.f("ck_vouchers_state")
        ),
        sa.CheckConstraint("value_fen IS NULL OR value_fen >= 0", name=op.f("ck_vouchers_value_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vouchers")),
        sa.UniqueConstraint("code", name=op.f("uq_vouchers_code")),
        sa.UniqueConstraint("policy_id", "person_id", name="uq_vouchers_policy_person"),
    )
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vouchers_lapsing",
            ["expires_on"],
            unique=False,
            postgresql_where=sa.text("state IN ('issued', 'claimed')"),
            sqlite_where=sa.text("state IN ('issued', 'claimed')"),
        )
        batch_op.create_index("ix_vouchers_person", ["person_id", "issued_year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_index("ix_vouchers_person")
        batch_op.drop_index(
            "ix_vouchers_lapsing",
            postgresql_where=sa.text("state IN ('issued', 'claimed')"),
            sqlite_where=sa.text("state IN ('issued', 'claimed')"),
        )

    op.drop_table("vouchers")
    with op.batch_alter_table("voucher_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voucher_policies_region_code"))

    op.drop_table("voucher_policies")
    with op.batch_alter_table("class_trainees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_trainees_person_id"))

    op.drop_table("class_trainees")
    op.drop_table("voucher_signing_keys")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_state")
        batch_op.drop_index("ix_jobs_kind_subject")

    op.drop_table("jobs")
