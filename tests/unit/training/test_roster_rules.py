"""The pure parts of class rosters: masking a name, reading typed lines, the refusal's message."""

from __future__ import annotations

import pytest

from skillvoucher.training import RosterLine, RosterRefused, mask_name, roster_lines


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜"), ("王", "王"), (" 李四 ", "李*"), ("", "")],
)
def test_a_name_keeps_its_first_and_last_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_typed_lines_keep_the_numbers_people_see() -> None:
    assert roster_lines("a\r\n\n  b  \n\t\nc") == [RosterLine(1, "a"), RosterLine(3, "b"), RosterLine(5, "c")]
    assert roster_lines("") == []


def test_a_refusal_lists_the_first_problems_and_counts_the_rest() -> None:
    refused = RosterRefused([(n, "无效 / invalid") for n in range(1, 26)])
    assert len(refused.problems) == 25
    assert "line 20: 无效 / invalid" in refused.message
    assert "line 21:" not in refused.message
    assert "and 5 more" in refused.message
    assert refused.kind == "invalid"
