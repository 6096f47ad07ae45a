"""e-SSC emulator: device authorization requests

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 02:52:03.706776
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "essc_emulator_device_requests",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_code_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("user_code", sa.String(length=9), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("nonce", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("holder_id_number_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("holder_name", sa.String(length=100), nullable=True),
        sa.Column("holder_region_code", sa.String(length=6), nullable=True),
        sa.Column("method", sa.String(length=4), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("denied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "method IS NULL OR method IN ('pin', 'face')", name=op.f("ck_essc_emulator_device_requests_method")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'denied', 'consumed')",
            name=op.f("ck_essc_emulator_device_requests_status"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('approved', 'consumed') OR (holder_id_number_encrypted IS NOT NULL AND holder_name IS NOT NULL AND holder_region_code IS NOT NULL AND method IS NOT NULL AND approved_at IS NOT NULL)",
            name=op.f("ck_essc_emulator_device_requests_approved_has_holder"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_essc_emulator_device_requests")),
        sa.UniqueConstraint("device_code_hash", name=op.f("uq_essc_emulator_device_requests_device_code_hash")),
        sa.UniqueConstraint("user_code", name=op.f("uq_essc_emulator_device_requests_user_code")),
    )
    with op.batch_alter_table("essc_emulator_device_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_essc_emulator_device_requests_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("essc_emulator_device_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_essc_emulator_device_requests_expires_at"))

    op.drop_table("essc_emulator_device_requests")
