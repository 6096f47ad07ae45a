"""The policy's typed rules: JSON round trips, validity, usage and the kinds' combinations."""

from __future__ import annotations

from datetime import date

import pytest

from skillvoucher.core import Invalid
from skillvoucher.vouchers import (
    AgeRange,
    CatalogueValue,
    Eligibility,
    FixedValue,
    OccupationLevel,
    PolicyKind,
    Usage,
    Validity,
)
from skillvoucher.vouchers.rules import (
    check_kind,
    eligibility_from_json,
    eligibility_to_json,
    usage_from_json,
    usage_to_json,
    value_from_json,
    value_to_json,
)


def test_rules_survive_their_json_form() -> None:
    rule = Eligibility(("350203",), 3, ("unemployed",), AgeRange(16, 60), AgeRange(None, 55))
    assert eligibility_from_json(eligibility_to_json(rule)) == rule
    usage = Usage((OccupationLevel("4-10-01-05", 4), OccupationLevel("4-03-02-01")))
    assert usage_from_json(usage_to_json(usage)) == usage
    for value in (FixedValue(150_000), CatalogueValue()):
        assert value_from_json(value_to_json(value)) == value


def test_validity_from_the_claim_or_a_fixed_day() -> None:
    closes = date(2027, 6, 30)
    assert Validity(until=date(2027, 12, 31)).expires_on(claimed_on=None, closes_on=closes) == date(2027, 12, 31)
    counted = Validity(days_from_claim=30)
    assert counted.expires_on(claimed_on=None, closes_on=closes) == closes  # unclaimed: lapses with the policy
    assert counted.expires_on(claimed_on=date(2027, 1, 1), closes_on=closes) == date(2027, 1, 30)


def test_usage_allows_its_occupations_and_levels() -> None:
    usage = Usage((OccupationLevel("4-10-01-05", 4), OccupationLevel("4-03-02-01")))
    assert usage.allows("4-10-01-05", 4)
    assert not usage.allows("4-10-01-05", 3)
    assert usage.allows("4-03-02-01", 1)
    assert usage.single is None
    assert Usage().allows("anything", 5)
    assert Usage((OccupationLevel("4-10-01-05", 4),)).single == OccupationLevel("4-10-01-05", 4)


@pytest.mark.parametrize(
    ("kind", "value", "target"),
    [
        (PolicyKind.FACE_VALUE, CatalogueValue(), None),
        (PolicyKind.GENERAL, FixedValue(100), None),
        (PolicyKind.TARGETED, FixedValue(100), None),
        (PolicyKind.FACE_VALUE, FixedValue(100), 7),
        (PolicyKind.FACE_VALUE, FixedValue(0), None),
    ],
)
def test_kinds_refuse_what_they_cannot_be(
    kind: PolicyKind, value: FixedValue | CatalogueValue, target: int | None
) -> None:
    with pytest.raises(Invalid):
        check_kind(kind, value, Usage(), target)
