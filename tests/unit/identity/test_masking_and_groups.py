"""What is shown of a number, and the population-group vocabulary a file may use."""

from __future__ import annotations

import pytest

from skillvoucher.identity import (
    EmploymentStatus,
    PopulationGroup,
    group_labels,
    mask_id_number,
    mask_phone,
    normalize_phone,
    parse_employment_status,
    parse_groups,
)
from skillvoucher.identity.person_files import header_key


def test_id_numbers_show_only_the_first_and_last_four() -> None:
    assert mask_id_number("11010519900307123X") == "1101**********123X"
    assert mask_id_number("1234") == "****"


def test_phones_show_only_the_first_three_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert normalize_phone("+86 138-1234-5678") == "13812345678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("失业人员", PopulationGroup.UNEMPLOYED),
        ("失业人员、农民工", PopulationGroup.UNEMPLOYED | PopulationGroup.RURAL_MIGRANT),
        ("登记失业人员；脱贫劳动力", PopulationGroup.UNEMPLOYED | PopulationGroup.LIFTED_FROM_POVERTY),
        ("unemployed;rural_migrant", PopulationGroup.UNEMPLOYED | PopulationGroup.RURAL_MIGRANT),
        ("GRADUATING_STUDENT, veteran", PopulationGroup.GRADUATING_STUDENT | PopulationGroup.VETERAN),
        ("企业职工/灵活就业", PopulationGroup.ENTERPRISE_EMPLOYEE | PopulationGroup.FLEXIBLE_WORKER),
        ("", PopulationGroup(0)),
    ],
)
def test_groups_in_chinese_or_english_with_any_separator(text: str, expected: PopulationGroup) -> None:
    assert parse_groups(text) == expected


def test_an_unknown_group_is_named() -> None:
    with pytest.raises(ValueError, match="外星人"):
        parse_groups("失业人员、外星人")


def test_group_labels_round_trip() -> None:
    groups = PopulationGroup.UNEMPLOYED | PopulationGroup.DISABLED
    assert group_labels(groups) == ["失业人员", "残疾人"]
    assert parse_groups("、".join(group_labels(groups))) == groups


def test_employment_status_vocabulary() -> None:
    assert parse_employment_status("在职") == EmploymentStatus.EMPLOYED
    assert parse_employment_status("Unemployed") == EmploymentStatus.UNEMPLOYED
    assert parse_employment_status("") == EmploymentStatus.UNKNOWN
    with pytest.raises(ValueError, match="火星"):
        parse_employment_status("火星")


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("ID Number", "idnumber"),
        ("id_number", "idnumber"),
        ("身份证号（必填）", "身份证号"),
        ("*姓名", "姓名"),
        (" 手机号码 ", "手机号码"),
    ],
)
def test_header_spellings_reduce_to_one_key(header: str, key: str) -> None:
    assert header_key(header) == key
