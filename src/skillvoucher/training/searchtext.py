"""The text a course is found by: Chinese, full pinyin and pinyin initials, lower-case (`ylhly` finds 养老护理员)."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

_SPACE = re.compile(r"\s+")


def normalize_keyword(text: str) -> str:
    """What a user types, in the form search text is stored in: NFKC, lower-case, no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def search_text(*parts: str) -> str:
    """Each part as written, as full pinyin and as initials, separated by '|' so no match spans two parts."""
    pieces: list[str] = []
    for part in parts:
        chinese = normalize_keyword(part)
        if not chinese:
            continue
        pieces.append(chinese)
        if any("\u4e00" <= char <= "\u9fff" for char in chinese):
            pieces.append("".join(lazy_pinyin(chinese)).lower())
            pieces.append("".join(lazy_pinyin(chinese, style=Style.FIRST_LETTER)).lower())
    return "|".join(pieces)
