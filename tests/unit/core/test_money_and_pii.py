from __future__ import annotations

import os

import pytest
from cryptography.exceptions import InvalidTag

from skillvoucher.core.money import format_yuan, yuan_to_fen
from skillvoucher.identity.pii import PiiCipher


def test_yuan_parses_exactly_to_fen() -> None:
    assert yuan_to_fen("1500") == 150_000
    assert yuan_to_fen(" 0.10 ") == 10
    assert format_yuan(150_050) == "1500.50"
    assert format_yuan(-5) == "-0.05"
    with pytest.raises(ValueError, match="two decimals"):
        yuan_to_fen("1.005")
    with pytest.raises(ValueError, match="not an amount"):
        yuan_to_fen("abc")


@pytest.fixture
def cipher() -> PiiCipher:
    return PiiCipher(encryption_key=os.urandom(32), lookup_key=os.urandom(32))


def test_encryption_round_trips_and_is_randomized(cipher: PiiCipher) -> None:
    first = cipher.encrypt("id_number", "11010519491231002X")
    second = cipher.encrypt("id_number", "11010519491231002X")
    assert first != second
    assert b"11010519491231002X" not in first
    assert cipher.decrypt("id_number", first) == "11010519491231002X"


def test_ciphertext_is_bound_to_its_field(cipher: PiiCipher) -> None:
    blob = cipher.encrypt("phone", "13800138000")
    with pytest.raises(InvalidTag):
        cipher.decrypt("id_number", blob)


def test_lookup_hash_is_keyed_and_per_field(cipher: PiiCipher) -> None:
    other = PiiCipher(encryption_key=os.urandom(32), lookup_key=os.urandom(32))
    value = "13800138000"
    assert cipher.lookup_hash("phone", value) == cipher.lookup_hash("phone", value)
    assert cipher.lookup_hash("phone", value) != other.lookup_hash("phone", value)
    assert cipher.lookup_hash("phone", value) != cipher.lookup_hash("id_number", value)


def test_keys_must_differ_and_be_32_bytes() -> None:
    key = os.urandom(32)
    with pytest.raises(ValueError, match="differ"):
        PiiCipher(encryption_key=key, lookup_key=key)
    with pytest.raises(ValueError, match="32 bytes"):
        PiiCipher(encryption_key=os.urandom(16), lookup_key=key)
