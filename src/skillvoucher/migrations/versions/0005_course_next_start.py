"""Courses: next class start, derived at each class decision

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 03:29:23.069280
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_start", sa.Date(), nullable=True))
    op.execute(
        "UPDATE courses SET next_start = (SELECT min(start_date) FROM classes WHERE classes.course_id = courses.id"
        " AND classes.state = 'approved' AND classes.start_date >= CURRENT_DATE)"
    )


def downgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("next_start")
