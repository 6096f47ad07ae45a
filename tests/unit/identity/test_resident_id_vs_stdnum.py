"""Our fast resident-ID validator agrees with python-stdnum (`stdnum.cn.ric`), the reference implementation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, ValidationError

from skillvoucher.catalog.reference import regions
from skillvoucher.identity import ResidentIdError, check_character
from skillvoucher.identity.resident_id import parse
from skillvoucher.identity.validation import is_former_region_code

TODAY = date(2025, 6, 1)
COUNTIES = sorted(region.code for region in regions() if region.level == "county")

bodies = st.text(alphabet="0123456789", min_size=17, max_size=17)
check_characters = st.sampled_from("0123456789X")


@st.composite
def plausible_numbers(draw: st.DrawFn) -> str:
    """Numbers shaped like real ones: a current county, a birth date since 1900, any sequence and check."""
    region = draw(st.sampled_from(COUNTIES))
    birth = date(1900, 1, 1) + timedelta(days=draw(st.integers(0, (TODAY - date(1900, 1, 1)).days)))
    sequence = draw(st.integers(0, 999))
    return f"{region}{birth:%Y%m%d}{sequence:03d}" + draw(check_characters)


@given(bodies)
def test_check_character_agrees_with_stdnum(body: str) -> None:
    assert check_character(body) == ric.calc_check_digit(body + "0")


@given(st.one_of(bodies.flatmap(lambda b: check_characters.map(lambda c: b + c)), plausible_numbers()))
def test_checksum_verdict_agrees_with_stdnum(number: str) -> None:
    try:
        ric.validate(number)
        stdnum_checksum_ok = True
    except InvalidChecksum:
        stdnum_checksum_ok = False
    except (ValidationError, KeyError):
        stdnum_checksum_ok = True  # failed later than the checksum (date, place; stdnum may raise KeyError there)
    try:
        parse(number, today=TODAY)
        ours_checksum_ok = True
    except ResidentIdError as error:
        ours_checksum_ok = "check character" not in str(error)
    assert ours_checksum_ok == stdnum_checksum_ok


@given(plausible_numbers())
def test_numbers_stdnum_accepts_we_accept(number: str) -> None:
    fixed = number[:17] + ric.calc_check_digit(number)
    if not _stdnum_accepts(fixed):
        return  # stdnum's own place/date verdict; ours is judged against current and former codes below
    resident = parse(fixed, today=TODAY)
    assert resident.birth_date == ric.get_birth_date(fixed)
    assert is_former_region_code(resident.region_code)


def _stdnum_accepts(number: str) -> bool:
    """stdnum's verdict; its place look-up raises KeyError for some codes of its own table instead of saying no."""
    try:
        return bool(ric.is_valid(number))
    except KeyError:
        return False


@pytest.mark.parametrize("code", ["110103", "110104", "110101", "320583"])
def test_former_and_current_codes_are_known_to_stdnums_table(code: str) -> None:
    assert is_former_region_code(code)


def test_made_up_codes_are_not() -> None:
    assert not is_former_region_code("999999")
    assert not is_former_region_code("110199")


GB_11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@given(bodies)
def test_check_character_is_the_standards_weighted_sum(body: str) -> None:
    """GB 11643-1999 spelled out, independent of the base-13 shortcut both we and stdnum use."""
    total = sum(int(digit) * weight for digit, weight in zip(body, GB_11643_WEIGHTS, strict=True))
    assert check_character(body) == "10X98765432"[total % 11]


@pytest.mark.parametrize("bad", ["1234567890123456", "123456789012345678", "1101051990030712a", "１" * 17, " " * 17])
def test_check_character_wants_exactly_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="17 digits"):
        check_character(bad)


def test_a_county_stdnum_cannot_place_is_still_judged_by_its_checksum() -> None:
    body = "33011319900101001"  # 临平区 (Hangzhou, 2021): stdnum's place look-up raises KeyError for it
    number = body + check_character(body)
    with pytest.raises(KeyError):
        ric.validate(number)
    assert not _stdnum_accepts(number)
    assert parse(number, today=TODAY).region_code == "330113"
