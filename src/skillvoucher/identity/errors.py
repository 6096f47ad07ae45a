"""The worker registry's named failures. Messages are safe to show: never a clear-text ID or phone number."""

from __future__ import annotations

from skillvoucher.core import Conflict, Invalid


class PersonAlreadyRegistered(Conflict):
    """A person with this resident ID number is already in the registry (one person exists once)."""

    def __init__(self, masked_id_number: str, person_id: int | None = None) -> None:
        super().__init__(f"该身份证号已登记 / a person with ID number {masked_id_number} is already registered")
        self.person_id = person_id


class PersonFileRefused(Invalid):
    """A person file cannot be imported at all (unreadable encoding, missing column, damaged file, …)."""
