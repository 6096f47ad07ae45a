"""The append-only, hash-chained record of every state change."""

from skillvoucher.audit.models import AuditEvent, AuditHead
from skillvoucher.audit.service import ChainBreak, record, verify_chain

__all__ = ["AuditEvent", "AuditHead", "ChainBreak", "record", "verify_chain"]
