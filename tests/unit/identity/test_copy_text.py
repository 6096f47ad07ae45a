"""Sealing straight into PostgreSQL COPY text: what the staging table receives (no database needed)."""

from __future__ import annotations

import os

from tests.factories.identity import make_phone, make_record

from skillvoucher.identity import PiiCipher
from skillvoucher.identity.postgres_copy import seal_as_copy_text


def test_one_line_per_record_with_hex_bytea_and_null_phone() -> None:
    cipher = PiiCipher(encryption_key=os.urandom(32), lookup_key=os.urandom(32))
    with_phone, without = make_record(phone=make_phone()), make_record(name="O\\Brien\tX")
    hashes, data = seal_as_copy_text([with_phone, without], cipher)
    lines = data.decode().split("\n")
    assert lines[-1] == ""
    first, second = (line.split("\t") for line in lines[:2])
    assert len(first) == len(second) == 11
    assert first[0] == "0"
    assert first[2] == "\\\\x" + hashes[0].hex()
    assert hashes[0] == cipher.lookup_hash("id_number", with_phone.id_number)
    assert cipher.decrypt("id_number", bytes.fromhex(first[3][3:])) == with_phone.id_number
    assert with_phone.phone is not None
    assert cipher.decrypt("phone", bytes.fromhex(first[5][3:])) == with_phone.phone
    assert (second[1], second[4], second[5]) == ("O\\\\Brien\\tX", "\\N", "\\N")
    assert with_phone.id_number not in data.decode()
    assert first[8] == with_phone.birth_date.isoformat()
