"""Statistics: every policy's counts also under its kind's key, for readers who pick no policy

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 11:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The kinds' rows are the sums of their policies' rows (slot 0: the slots are summed as they are read). The kind keys
# are stats.kind_key's as of this revision: -1 face value, -2 general, -3 targeted, -4 no face value.
ADD_KIND_ROWS = """
INSERT INTO stat_counts (region_code, dimension, month, policy_id, member, slot, issued, claimed, used, forfeited,
    expired, revoked, completed, certified, trainees, classes, held_fen)
SELECT s.region_code, s.dimension, s.month, k.kind_key, s.member, 0, sum(s.issued), sum(s.claimed), sum(s.used),
    sum(s.forfeited), sum(s.expired), sum(s.revoked), sum(s.completed), sum(s.certified), sum(s.trainees),
    sum(s.classes), sum(s.held_fen)
FROM stat_counts s
JOIN (
    SELECT id, CASE kind WHEN 'face_value' THEN -1 WHEN 'general' THEN -2 WHEN 'targeted' THEN -3
        WHEN 'no_face_value' THEN -4 END AS kind_key
    FROM voucher_policies
) k ON k.id = s.policy_id
WHERE s.policy_id > 0
GROUP BY s.region_code, s.dimension, s.month, k.kind_key, s.member
"""


def upgrade() -> None:
    op.execute(ADD_KIND_ROWS)


def downgrade() -> None:
    op.execute("DELETE FROM stat_counts WHERE policy_id < 0")
