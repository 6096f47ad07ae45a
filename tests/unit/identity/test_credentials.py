from __future__ import annotations

import pyotp
import pytest

from skillvoucher.identity.credentials import (
    WeakPassword,
    api_key_hash,
    check_password_policy,
    generate_password,
    hash_password,
    matching_totp_step,
    new_api_key,
    new_totp_secret,
    verify_password,
)


def test_passwords_are_argon2id_and_verify() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong horse battery")
    assert not verify_password("not-a-hash", "anything")


@pytest.mark.parametrize("password", ["short1", "zhangsan-2026-abc", "aaaaaaaaaaaa"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_password_policy(password, username="zhangsan")


def test_generated_passwords_pass_the_policy() -> None:
    for _ in range(20):
        check_password_policy(generate_password(), username="officer")


def test_totp_codes_are_accepted_once_and_within_one_step() -> None:
    secret = new_totp_secret()
    totp = pyotp.TOTP(secret)
    at = 1_800_000_000.0
    step = int(at // 30)
    assert matching_totp_step(secret, totp.at(at), at=at, last_step=None) == step
    assert matching_totp_step(secret, totp.at(at - 30), at=at, last_step=None) == step - 1
    assert matching_totp_step(secret, totp.at(at - 90), at=at, last_step=None) is None
    assert matching_totp_step(secret, totp.at(at), at=at, last_step=step) is None  # replay
    assert matching_totp_step(secret, "12345", at=at, last_step=None) is None


def test_api_keys_are_random_and_only_their_hash_is_kept() -> None:
    first, second = new_api_key(), new_api_key()
    assert first.key != second.key
    assert first.key.startswith("svk_")
    assert first.key_hash == api_key_hash(first.key)
    assert first.key.encode() not in first.key_hash
    assert first.prefix == first.key[:12]
