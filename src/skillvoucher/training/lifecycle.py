"""Accreditation of a training institution: the states and the transitions a bureau officer may make."""

from __future__ import annotations

import enum


class Accreditation(enum.StrEnum):
    APPLIED = "applied"
    ACCREDITED = "accredited"
    UNDER_REVIEW = "under_review"
    PAYMENTS_SUSPENDED = "payments_suspended"
    DELISTED = "delisted"


A = Accreditation
TRANSITIONS: dict[Accreditation, frozenset[Accreditation]] = {
    A.APPLIED: frozenset({A.ACCREDITED, A.DELISTED}),  # delisting an application = refusing it
    A.ACCREDITED: frozenset({A.UNDER_REVIEW, A.PAYMENTS_SUSPENDED, A.DELISTED}),
    A.UNDER_REVIEW: frozenset({A.ACCREDITED, A.PAYMENTS_SUSPENDED, A.DELISTED}),
    A.PAYMENTS_SUSPENDED: frozenset({A.ACCREDITED, A.UNDER_REVIEW, A.DELISTED}),
    A.DELISTED: frozenset({A.ACCREDITED}),  # reinstated after a new review
}
# Listed institutions appear in the public catalogue, publish courses and open classes. A review is not a sanction.
LISTED = frozenset({A.ACCREDITED, A.UNDER_REVIEW})

LABELS_ZH: dict[Accreditation, str] = {
    A.APPLIED: "已申请",
    A.ACCREDITED: "已认定",
    A.UNDER_REVIEW: "审查中",
    A.PAYMENTS_SUSPENDED: "暂停拨付",
    A.DELISTED: "已移出目录",
}


def may_change(current: Accreditation, to: Accreditation) -> bool:
    return to in TRANSITIONS[current]


def is_listed(state: str) -> bool:
    return Accreditation(state) in LISTED
