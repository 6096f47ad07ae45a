"""The QR code a worker shows: minted with the bureau's active key, checked offline from the published keys only."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from tests.factories.vouchers_tokens import voucher_row

from skillvoucher.audit import AuditEvent
from skillvoucher.identity import PiiCipher
from skillvoucher.vouchers import (
    TOKEN_LIFETIME,
    HolderNameNotMasked,
    VoucherNotShowable,
    VoucherSigningKey,
    active_key,
    mint_voucher_token,
    published_jwks,
    rotate_keys,
    verify_voucher_token,
)
from skillvoucher.vouchers.token_verifier import (
    CLOCK_SKEW,
    BadVoucherCodeSignature,
    UnknownVoucherSigningKey,
    VoucherCodeExpired,
)
from skillvoucher.vouchers.tokens import PUBLISHED_AFTER_RETIREMENT

NOW = datetime(2025, 3, 14, 2, 0, tzinfo=UTC)  # 10:00 in China


def _part(token: str, index: int) -> dict[str, object]:
    segment = token.split(".")[index]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return decoded


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_minted_code_verifies_offline_from_the_published_keys(session: Session, cipher: PiiCipher) -> None:
    voucher = voucher_row(session, cipher)
    token = mint_voucher_token(session, cipher, voucher, "张*三", NOW)
    jwks = json.loads(json.dumps(published_jwks(session, NOW)))  # as an institution's app receives it

    code = verify_voucher_token(token, jwks, NOW + timedelta(seconds=90))

    assert (code.voucher_code, code.policy_id, code.value_fen) == (voucher.code, voucher.policy_id, 150_000)
    assert (code.voucher_expires_on, code.holder_name_masked) == (date(2030, 12, 31), "张*三")
    assert (code.issued_at, code.expires_at) == (NOW, NOW + TOKEN_LIFETIME)
    assert code.key_id == active_key(session, cipher).kid == _part(token, 0)["kid"]
    assert _part(token, 0)["alg"] == "Ed25519"
    claims = _part(token, 1)
    assert set(claims) == {"iss", "sub", "pol", "val", "exp_on", "nm", "iat", "exp", "jti"}
    assert claims["iss"] == "skillvoucher"
    assert [set(key) for key in jwks["keys"]] == [{"kty", "crv", "x", "kid", "use", "alg"}]  # no private half


def test_each_showing_is_a_new_code_and_general_vouchers_carry_no_value(session: Session, cipher: PiiCipher) -> None:
    voucher = voucher_row(session, cipher, kind="general", state="claimed")
    first = mint_voucher_token(session, cipher, voucher, "张*三", NOW)
    second = mint_voucher_token(session, cipher, voucher, "张*三", NOW)
    assert first != second  # a new jti each time
    assert verify_voucher_token(first, published_jwks(session, NOW), NOW).value_fen is None
    assert session.scalar(select(func.count()).select_from(VoucherSigningKey)) == 1  # one key, made on demand


def test_a_tampered_code_is_refused(session: Session, cipher: PiiCipher) -> None:
    voucher = voucher_row(session, cipher)
    token = mint_voucher_token(session, cipher, voucher, "张*三", NOW)
    jwks = published_jwks(session, NOW)
    header, _, signature = token.split(".")
    richer = {**_part(token, 1), "val": 9_999_900}
    with pytest.raises(BadVoucherCodeSignature):
        verify_voucher_token(f"{header}.{_b64(richer)}.{signature}", jwks, NOW)
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    with pytest.raises(BadVoucherCodeSignature):
        verify_voucher_token(f"{header}.{token.split('.')[1]}.{flipped}", jwks, NOW)


def test_an_expired_code_is_refused(session: Session, cipher: PiiCipher) -> None:
    voucher = voucher_row(session, cipher)
    token = mint_voucher_token(session, cipher, voucher, "张*三", NOW)
    jwks = published_jwks(session, NOW)
    last_moment = NOW + TOKEN_LIFETIME + CLOCK_SKEW - timedelta(seconds=1)
    assert verify_voucher_token(token, jwks, last_moment).voucher_code == voucher.code
    with pytest.raises(VoucherCodeExpired):
        verify_voucher_token(token, jwks, last_moment + timedelta(seconds=1))


def test_after_rotation_old_codes_verify_until_their_key_ages_out(session: Session, cipher: PiiCipher) -> None:
    voucher = voucher_row(session, cipher)
    old_token = mint_voucher_token(session, cipher, voucher, "张*三", NOW)
    old_kid = active_key(session, cipher).kid
    rotated_at = NOW + timedelta(seconds=30)

    new_kid = rotate_keys(session, cipher, rotated_at)

    new_token = mint_voucher_token(session, cipher, voucher, "张*三", rotated_at)
    assert new_kid != old_kid
    assert _part(new_token, 0)["kid"] == new_kid == active_key(session, cipher).kid
    jwks = published_jwks(session, rotated_at + timedelta(seconds=30))
    assert [key["kid"] for key in jwks["keys"]] == [new_kid, old_kid]
    assert verify_voucher_token(old_token, jwks, rotated_at + timedelta(seconds=30)).key_id == old_kid
    assert verify_voucher_token(new_token, jwks, rotated_at + timedelta(seconds=30)).key_id == new_kid
    # The old key is published exactly until every code it signed has expired, and a while after.
    still = published_jwks(session, rotated_at + PUBLISHED_AFTER_RETIREMENT - timedelta(seconds=1))
    assert old_kid in [key["kid"] for key in still["keys"]]
    gone = published_jwks(session, rotated_at + PUBLISHED_AFTER_RETIREMENT)
    assert [key["kid"] for key in gone["keys"]] == [new_kid]
    with pytest.raises(UnknownVoucherSigningKey):
        verify_voucher_token(old_token, gone, NOW)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "voucher_signing_key.rotate")).one()
    assert (event.subject_id, json.loads(event.data), event.actor) == (new_kid, {"retired": [old_kid]}, "operator:cli")


def test_the_private_key_is_stored_only_encrypted(session: Session, cipher: PiiCipher) -> None:
    key = active_key(session, cipher, now=NOW)
    d = str(key.private_key.as_dict(private=True)["d"])
    seed = base64.urlsafe_b64decode(d + "=" * (-len(d) % 4))
    forms = [seed, seed.hex().encode(), d.encode(), base64.b64encode(seed), base64.b64encode(seed).rstrip(b"=")]
    row = session.execute(text("SELECT * FROM voucher_signing_keys")).one()
    stored = b"".join(v if isinstance(v, bytes) else str(v).encode() for v in row)
    assert bytes(row.private_key_encrypted) not in (b"", seed)
    assert [form for form in forms if form in stored] == []
    assert [form for form in forms if form.lower() in stored.lower()] == []


@pytest.mark.parametrize("state", ["reserved", "used", "expired", "revoked"])
def test_only_a_live_voucher_has_a_code(session: Session, cipher: PiiCipher, state: str) -> None:
    voucher = voucher_row(session, cipher, state=state)
    with pytest.raises(VoucherNotShowable):
        mint_voucher_token(session, cipher, voucher, "张*三", NOW)


def test_a_voucher_past_its_last_day_has_no_code(session: Session, cipher: PiiCipher) -> None:
    voucher = voucher_row(session, cipher, expires_on=date(2025, 3, 13))
    with pytest.raises(VoucherNotShowable):
        mint_voucher_token(session, cipher, voucher, "张*三", NOW)  # 14 March in China
    voucher.expires_on = date(2025, 3, 14)
    assert mint_voucher_token(session, cipher, voucher, "张*三", NOW)


def test_the_name_in_a_code_must_be_masked(session: Session, cipher: PiiCipher) -> None:
    voucher = voucher_row(session, cipher)
    for unmasked in ("张小三", "11010519900307001X"):
        with pytest.raises(HolderNameNotMasked):
            mint_voucher_token(session, cipher, voucher, unmasked, NOW)


def test_a_signing_key_whose_blob_was_swapped_is_refused(session: Session, cipher: PiiCipher) -> None:
    first = active_key(session, cipher, now=NOW)
    second_kid = rotate_keys(session, cipher, NOW + timedelta(seconds=1))
    old_blob = session.get(VoucherSigningKey, first.kid)
    new = session.get(VoucherSigningKey, second_kid)
    assert old_blob is not None
    assert new is not None
    new.private_key_encrypted = old_blob.private_key_encrypted
    session.flush()
    with pytest.raises(ValueError, match="does not match"):
        active_key(session, cipher)
