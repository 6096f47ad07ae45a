"""The hash chain, as pure functions: each event's hash covers its content and the previous event's hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical_data(data: dict[str, Any]) -> str:
    """One JSON text per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    *,
    prev_hash: str,
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    data_json: str,
) -> str:
    fields = [str(seq), occurred_at.isoformat(), actor, action, subject_type, subject_id, data_json]
    payload = prev_hash + "\x1f" + "\x1f".join(fields)
    return hashlib.sha256(payload.encode()).hexdigest()
