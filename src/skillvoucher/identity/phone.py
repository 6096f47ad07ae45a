"""Mainland mobile phone numbers: normalize, validate, mask. Pure."""

from __future__ import annotations

import re
import unicodedata

_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = dict.fromkeys(map(ord, "-()"))


class PhoneError(ValueError):
    """Why a phone number is not usable; never repeats the number."""


def normalize_phone(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw) if not raw.isascii() else raw
    digits = "".join(text.split()).translate(_SEPARATORS)  # str.split() drops exactly what isspace() is
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.fullmatch(digits):
        raise PhoneError("must be an 11-digit mainland mobile number starting with 13-19")
    return digits


def mask_phone(number: str) -> str:
    """138****5678"""
    return number[:3] + "****" + number[-4:] if len(number) == 11 else "*" * len(number)
