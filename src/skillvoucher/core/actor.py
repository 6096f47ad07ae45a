"""Who performs an action. Passed by keyword to every write action and written into its audit event."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    kind: str  # "system", "staff", "worker", "api_key"
    ref: str  # a stable identifier within the kind, never personal data

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.ref}"

    @classmethod
    def system(cls, ref: str = "skillvoucher") -> Actor:
        return cls(kind="system", ref=ref)

    @classmethod
    def operator(cls, ref: str) -> Actor:
        """Someone at the command line on the server."""
        return cls(kind="operator", ref=ref)
