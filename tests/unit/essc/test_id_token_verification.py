"""ID token verification, shared by both adapters: each refusal names its condition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.factories.essc import CLIENT_ID, claims, fixed_keys, holder, signed_by_stranger
from tests.factories.identity import make_id_number, wrong_check_character

from skillvoucher.essc import verify_identity_token
from skillvoucher.essc.emulator import ALGORITHM, IN_PROCESS_ISSUER
from skillvoucher.identity.ports import IdentityTokenRejected

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
KEYS = fixed_keys()


def verify(token: str, *, now: datetime = NOW, audience: str = CLIENT_ID) -> Any:
    return verify_identity_token(
        token,
        keys=KEYS.public_key_set(),
        algorithms=[ALGORITHM],
        issuer=IN_PROCESS_ISSUER,
        audience=audience,
        now=now,
    )


def refusal(token: str, **options: Any) -> str:
    with pytest.raises(IdentityTokenRejected) as refused:
        verify(token, **options)
    return refused.value.code


def test_a_good_token_gives_the_identity() -> None:
    number = make_id_number("350203")
    identity = verify(KEYS.sign(claims(KEYS, now=NOW, card_holder=holder(id_number=number, region_code="350200"))))
    assert (identity.id_number, identity.name, identity.region_code) == (number, "王芳", "350200")
    assert identity.method == "pin"
    assert identity.expires_at == NOW + timedelta(minutes=5)
    assert identity.authenticated_at == NOW - timedelta(seconds=5)
    assert len(identity.token_id) >= 16


def test_the_subject_is_pairwise_and_not_the_id_number() -> None:
    card = holder()
    ours = claims(KEYS, now=NOW, card_holder=card)
    theirs = claims(KEYS, now=NOW, card_holder=card, client_id="another-site")
    assert ours["sub"] != theirs["sub"]
    assert card.id_number not in ours["sub"]
    assert ours["sub"] == claims(KEYS, now=NOW, card_holder=card)["sub"]  # stable


def test_a_bad_signature_is_refused() -> None:
    token = KEYS.sign(claims(KEYS, now=NOW))
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert refusal(tampered) == "IdTokenBadSignature"
    assert refusal(signed_by_stranger(claims(KEYS, now=NOW), kid=KEYS.key_id)) == "IdTokenBadSignature"


def test_a_token_for_another_site_is_refused() -> None:
    assert refusal(KEYS.sign(claims(KEYS, now=NOW, client_id="another-site"))) == "IdTokenWrongAudience"
    two = KEYS.sign(claims(KEYS, now=NOW, aud=[CLIENT_ID, "another-site"]))
    assert refusal(two) == "IdTokenWrongAudience"  # several audiences need azp naming us


def test_a_token_from_another_issuer_is_refused() -> None:
    token = KEYS.sign(claims(KEYS, now=NOW, issuer="https://essc.example.invalid"))
    assert refusal(token) == "IdTokenWrongIssuer"


def test_an_expired_token_is_refused_after_the_clock_skew() -> None:
    token = KEYS.sign(claims(KEYS, now=NOW))
    verify(token, now=NOW + timedelta(minutes=5, seconds=30))  # within 60 s of skew
    assert refusal(token, now=NOW + timedelta(minutes=6, seconds=1)) == "IdTokenExpired"


def test_a_token_issued_in_the_future_is_refused() -> None:
    assert refusal(KEYS.sign(claims(KEYS, now=NOW + timedelta(minutes=3)))) == "IdTokenMalformed"


def test_an_id_number_with_a_bad_checksum_is_refused() -> None:
    bad = holder(id_number=wrong_check_character(make_id_number()))
    assert refusal(KEYS.sign(claims(KEYS, now=NOW, card_holder=bad))) == "IdTokenBadIdNumber"


def test_the_message_never_repeats_the_id_number() -> None:
    number = wrong_check_character(make_id_number())
    with pytest.raises(IdentityTokenRejected) as refused:
        verify(KEYS.sign(claims(KEYS, now=NOW, card_holder=holder(id_number=number))))
    assert number not in refused.value.message
    assert number[:17] not in refused.value.message


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"region": "11010"}, "IdTokenBadRegion"),
        ({"name": " "}, "IdTokenMalformed"),
        ({"id_number": None}, "IdTokenMalformed"),
        ({"jti": None}, "IdTokenMalformed"),
        ({"sub": None}, "IdTokenMalformed"),
        ({"amr": ["pwd"]}, "IdTokenWeakAuthentication"),
        ({"amr": None}, "IdTokenWeakAuthentication"),
        ({"auth_time": None}, "IdTokenMalformed"),
    ],
)
def test_bad_identity_claims_are_refused(override: dict[str, Any], code: str) -> None:
    assert refusal(KEYS.sign(claims(KEYS, now=NOW, **override))) == code


def test_garbage_and_unknown_keys_are_refused() -> None:
    assert refusal("not-a-token") == "IdTokenMalformed"
    assert refusal("") == "IdTokenMalformed"
    assert refusal(signed_by_stranger(claims(KEYS, now=NOW), kid="some-other-key")) == "IdTokenUnknownKey"


def test_face_checks_are_reported_as_such() -> None:
    assert verify(KEYS.sign(claims(KEYS, now=NOW, method="face"))).method == "face"


def test_the_keys_are_derived_not_random_and_publish_no_private_part() -> None:
    assert fixed_keys().key_id == KEYS.key_id
    published = KEYS.public_jwks()["keys"]
    assert len(published) == 1
    assert published[0]["kty"] == "OKP"
    assert published[0]["crv"] == "Ed25519"
    assert published[0]["alg"] == ALGORITHM
    assert "d" not in published[0]
