"""One file row → a person record, or the reasons it is not one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from tests.factories.identity import make_id_number, wrong_check_character

from skillvoucher.identity import PersonRecord, PopulationGroup, RowError, check_character, validate_row

TODAY = date(2025, 6, 1)
REGIONS = frozenset({"110101", "110105", "440305"})


def validate(**cells: str) -> PersonRecord | list[RowError]:
    row = {"name": "张三", "id_number": make_id_number("110105"), "region_code": "110105"} | cells
    return validate_row(row, known_regions=REGIONS, today=TODAY)


def valid(**cells: str) -> PersonRecord:
    result = validate(**cells)
    assert isinstance(result, PersonRecord), result
    return result


def errors(**cells: str) -> dict[str, str]:
    result = validate(**cells)
    assert isinstance(result, list), result
    return {error.column: error.reason for error in result}


def id_with(birth: str, region: str = "110105") -> str:
    body = f"{region}{birth}123"
    return body + check_character(body)


def test_a_good_row_gives_a_record_with_what_the_number_says() -> None:
    number = id_with("19900307")
    record = valid(
        id_number=number, phone="13812345678", groups="失业人员、农民工", employment_status="失业", name="王小明"
    )
    assert record.id_number == number
    assert record.birth_date == date(1990, 3, 7)
    assert record.gender == "M"  # the 17th digit (3) is odd
    assert record.phone == "13812345678"
    assert record.population_groups == PopulationGroup.UNEMPLOYED | PopulationGroup.RURAL_MIGRANT
    assert record.employment_status == "unemployed"


def test_gender_comes_from_the_seventeenth_digit() -> None:
    male = make_id_number("110105", date(1990, 1, 1), sequence=11)
    female = make_id_number("110105", date(1990, 1, 1), sequence=12)
    assert valid(id_number=male).gender == "M"
    assert valid(id_number=female).gender == "F"


def test_optional_columns_may_be_blank_or_absent() -> None:
    record = valid(phone="", groups="  ", employment_status="")
    assert record.phone is None
    assert record.population_groups == 0
    assert record.employment_status == "unknown"


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in text)


def number_ending_in_x() -> str:
    for sequence in range(1000):
        number = make_id_number("110105", date(1990, 3, 7), sequence=sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


@pytest.mark.parametrize(
    "formatting",
    [
        pytest.param(full_width, id="full-width"),
        pytest.param(lambda n: f" {n[:6]} {n[6:14]}  {n[14:]} ", id="stray-spaces"),
        pytest.param(lambda n: n.lower(), id="lower-case-x"),
        pytest.param(lambda n: f"\u200b{n}\u3000", id="zero-width-and-ideographic-space"),
        pytest.param(lambda n: full_width(n).lower(), id="full-width-lower-x"),
    ],
)
def test_id_number_formatting_is_normalized_not_rejected(formatting: Callable[[str], str]) -> None:
    number = number_ending_in_x()
    assert valid(id_number=formatting(number)).id_number == number


def test_phone_and_name_formatting_is_normalized() -> None:
    record = valid(phone="１３８ １２３４ ５６７８", name="  张　三 ")
    assert record.phone == "13812345678"
    assert record.name == "张三"
    assert valid(name="Ayşe  Kaya").name == "Ayşe Kaya"
    assert valid(name="买买提·艾力").name == "买买提·艾力"


def test_region_code_formatting_is_normalized() -> None:
    assert valid(region_code=" １１０１０１ ").region_code == "110101"
    assert valid(region_code="110101.0").region_code == "110101"


@pytest.mark.parametrize(
    ("id_number", "zh", "en"),
    [
        (wrong_check_character(make_id_number("110105")), "校验码不符", "check character does not match"),
        (id_with("19900230"), "出生日期不存在", "not a real date"),
        (id_with("20300101"), "1900年至今", "out of range"),
        (id_with("18991231"), "1900年至今", "out of range"),
        (id_with("19900307", region="990101"), "地区码", "not a current or former"),
        ("11010519900307", "应为18位", "must have 18 characters, has 14"),
        ("1101051990030712AX", "17位数字", "17 digits followed by a digit or X"),
        ("1.10105199003071E+17", "Excel", "stored the ID number as a number"),
        ("", "身份证号为空", "ID number is empty"),
    ],
)
def test_bad_id_numbers_are_reported_in_chinese_and_english(id_number: str, zh: str, en: str) -> None:
    reason = errors(id_number=id_number)["id_number"]
    assert zh in reason
    assert en in reason


def test_a_former_region_code_in_the_number_is_accepted() -> None:
    # 110103 (崇文区) was merged into 东城区 in 2010; people keep the code in their number for life.
    record = valid(id_number=id_with("19800101", region="110103"), region_code="110101")
    assert record.id_number.startswith("110103")


def test_the_household_region_must_be_a_current_region() -> None:
    assert "not a current" in errors(region_code="110103")["region_code"]
    assert "6 digits" in errors(region_code="1101")["region_code"]
    assert "empty" in errors(region_code="")["region_code"]


def test_other_columns_are_checked() -> None:
    found = errors(name="", phone="12345", groups="外星人", employment_status="火星")
    assert set(found) == {"name", "phone", "groups", "employment_status"}
    assert "13-19" in found["phone"]
    assert "外星人" in found["groups"]
    assert "digits" in errors(name="张三13812345678")["name"]
    assert "100" in errors(name="张" * 101)["name"]


def test_every_bad_column_of_a_row_is_reported_at_once() -> None:
    found = errors(id_number="123", region_code="999999", phone="1")
    assert set(found) == {"id_number", "region_code", "phone"}


def test_reasons_never_repeat_the_id_or_phone_number() -> None:
    number = make_id_number("110105")
    for bad in (wrong_check_character(number), number[:17], number + "1"):
        reason = errors(id_number=bad, phone="19912345678901")["id_number"]
        assert bad not in reason
        assert bad[:17] not in reason
    assert "19912345678901" not in errors(phone="19912345678901")["phone"]


def test_a_number_in_a_shifted_column_is_not_quoted_back() -> None:
    number = make_id_number("110105")
    found = errors(groups=f"失业人员、{number}", employment_status="13812345678")
    assert number not in found["groups"]
    assert "***" in found["groups"]
    assert "13812345678" not in found["employment_status"]
