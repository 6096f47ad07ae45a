"""The offline verifier an institution runs: every way a code can be wrong is refused by name; no database."""

from __future__ import annotations

import ast
import base64
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OKPKey, RSAKey

from skillvoucher.vouchers import mask_holder_name, token_verifier
from skillvoucher.vouchers.token_verifier import (
    BadVoucherCodeSignature,
    MalformedVoucherCode,
    UnknownVoucherSigningKey,
    VoucherCodeExpired,
    VoucherCodeRejected,
    WrongVoucherCodeAlgorithm,
    WrongVoucherCodeIssuer,
    verify_voucher_token,
)

NOW = datetime(2025, 3, 14, 2, 0, tzinfo=UTC)
KEY = OKPKey.generate_key("Ed25519")
OTHER = OKPKey.generate_key("Ed25519")


def _jwks(*keys: OKPKey) -> dict[str, Any]:
    return {"keys": [{**k.as_dict(private=False), "kid": k.thumbprint(), "use": "sig", "alg": "Ed25519"} for k in keys]}


def _claims(**changes: Any) -> dict[str, Any]:
    issued = int(NOW.timestamp())
    claims = {
        "iss": "skillvoucher",
        "sub": "0123456789abcdef0123456789abcdef",
        "pol": 7,
        "val": 150_000,
        "exp_on": "2030-12-31",
        "nm": "张*三",
        "iat": issued,
        "exp": issued + 120,
        "jti": "abc",
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not ...}


def _token(claims: dict[str, Any] | None = None, *, key: OKPKey = KEY, **header: Any) -> str:
    head = {"alg": "Ed25519", "kid": key.thumbprint(), "typ": "voucher+jwt", **header}
    return jwt.encode(
        {k: v for k, v in head.items() if v is not ...}, claims or _claims(), key, algorithms=[head["alg"]]
    )


def _reheaded(**header: Any) -> str:
    """A good token with its header changed (and so its signature no longer matching)."""
    _, payload, signature = _token().split(".")
    head = {"alg": "Ed25519", "kid": KEY.thumbprint(), "typ": "voucher+jwt", **header}
    encoded = base64.urlsafe_b64encode(json.dumps(head).encode()).rstrip(b"=").decode()
    return f"{encoded}.{payload}.{signature}"


def test_a_good_code() -> None:
    code = verify_voucher_token(_token(), _jwks(OTHER, KEY), NOW)
    assert (code.policy_id, code.value_fen, code.holder_name_masked, code.key_id) == (
        7,
        150_000,
        "张*三",
        KEY.thumbprint(),
    )


@pytest.mark.parametrize(
    ("token", "refusal"),
    [
        (_token(key=OTHER), UnknownVoucherSigningKey),
        (_token(kid=...), UnknownVoucherSigningKey),
        (_token(kid=KEY.thumbprint(), key=OTHER), BadVoucherCodeSignature),  # claims the known key, signed by another
        (_reheaded(alg="EdDSA"), WrongVoucherCodeAlgorithm),  # deprecated: joserfc will not even sign with it
        (_token(typ="JWT"), MalformedVoucherCode),
        (_token(_claims(iss="essc-emulator")), WrongVoucherCodeIssuer),
        (_token(_claims(exp=int(NOW.timestamp()) - 31)), VoucherCodeExpired),
        (_token(_claims(iat=int(NOW.timestamp()) + 60)), MalformedVoucherCode),  # from the future
        (_token(_claims(pol="7")), MalformedVoucherCode),
        (_token(_claims(val=True)), MalformedVoucherCode),
        (_token(_claims(nm=...)), MalformedVoucherCode),
        (_token(_claims(exp_on="31/12/2030")), MalformedVoucherCode),
        ("", MalformedVoucherCode),
        ("not a token", MalformedVoucherCode),
        ("eyJhbGciOiJub25lIn0.e30.", WrongVoucherCodeAlgorithm),  # alg none
        ("x" * 3000, MalformedVoucherCode),
        ("!!!.e30.sig", MalformedVoucherCode),
    ],
)
def test_refusals(token: str, refusal: type[VoucherCodeRejected]) -> None:
    with pytest.raises(refusal) as raised:
        verify_voucher_token(token, _jwks(KEY), NOW)
    assert raised.value.code == refusal.__name__
    assert raised.value.message


def test_a_key_of_another_kind_under_the_same_id_is_not_used() -> None:
    rsa = RSAKey.generate_key(2048)
    jwks = {"keys": [{**rsa.as_dict(private=False), "kid": KEY.thumbprint(), "alg": "RS256"}]}
    with pytest.raises(UnknownVoucherSigningKey):
        verify_voucher_token(_token(), jwks, NOW)


def test_the_clock_may_be_a_little_off() -> None:
    assert verify_voucher_token(_token(), _jwks(KEY), NOW + timedelta(seconds=149))
    with pytest.raises(VoucherCodeExpired):
        verify_voucher_token(_token(), _jwks(KEY), NOW + timedelta(seconds=150))
    assert verify_voucher_token(_token(), _jwks(KEY), NOW - timedelta(seconds=30))


def test_an_institution_can_copy_the_verifier_alone() -> None:
    """It imports only the standard library and joserfc: nothing of this project, no database."""
    tree = ast.parse(Path(token_verifier.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    roots = {name.split(".")[0] for name in imported}
    assert roots - sys.stdlib_module_names == {"joserfc"}


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("张小三", "张*三"), ("欧阳小明", "欧**明"), (" 李四 ", "李*")]
)
def test_names_are_masked(name: str, masked: str) -> None:
    assert mask_holder_name(name) == masked
