"""GET /.well-known/skillvoucher/voucher-keys.json: what an institution's app fetches to check QR codes offline."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from tests.factories.vouchers_tokens import voucher_row

from skillvoucher.app import Runtime
from skillvoucher.vouchers import mint_voucher_token, rotate_keys, verify_voucher_token

PATH = "/.well-known/skillvoucher/voucher-keys.json"


def test_the_published_keys_verify_a_shown_code(client: TestClient, runtime: Runtime) -> None:
    assert client.get(PATH).json() == {"keys": []}  # no code shown yet, so no key made yet
    now = runtime.clock.now()
    with runtime.uow.begin() as session:
        voucher = voucher_row(session, runtime.cipher)
        token = mint_voucher_token(session, runtime.cipher, voucher, "张*三", now)

    response = client.get(PATH)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert "set-cookie" not in response.headers
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "crv", "x", "kid", "use", "alg"}
    assert (key["kty"], key["crv"], key["use"], key["alg"]) == ("OKP", "Ed25519", "sig", "Ed25519")
    assert verify_voucher_token(token, response.json(), now + timedelta(seconds=5)).voucher_code == voucher.code


def test_a_rotated_key_stays_published_beside_the_new_one(client: TestClient, runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        first = rotate_keys(session, runtime.cipher, runtime.clock.now())
        second = rotate_keys(session, runtime.cipher, runtime.clock.now())
    assert [key["kid"] for key in client.get(PATH).json()["keys"]] == [second, first]
