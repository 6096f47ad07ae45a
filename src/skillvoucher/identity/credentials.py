"""Staff credentials: password hashing and policy, TOTP codes, API key material. Pure apart from randomness."""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from skillvoucher.core.errors import Invalid

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 10
TOTP_ISSUER = "skillvoucher"
API_KEY_PREFIX = "svk_"


class WeakPassword(Invalid):
    """A new password does not meet the policy."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password_policy(password: str, *, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"密码至少{MIN_PASSWORD_LENGTH}位 / a password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
    if username.lower() in password.lower():
        raise WeakPassword("密码不能包含用户名 / a password must not contain the username")
    if len(set(password)) < 5:
        raise WeakPassword("密码过于简单 / this password is too simple")


def generate_password() -> str:
    """A one-time password an administrator hands over; readable, 16 characters."""
    alphabet = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "Il1O0o")
    return "".join(secrets.choice(alphabet) for _ in range(16))


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(secret: str, *, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def matching_totp_step(secret: str, code: str, *, at: float, last_step: int | None) -> int | None:
    """The time step a code belongs to (now, or one step either side for clock drift), if it was not used before."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = int(at // totp.interval)
    for step in (current, current - 1, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


@dataclass(frozen=True)
class NewApiKey:
    key: str  # shown once, never stored
    prefix: str
    key_hash: bytes


def new_api_key() -> NewApiKey:
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return NewApiKey(key=key, prefix=key[:12], key_hash=api_key_hash(key))


def api_key_hash(key: str) -> bytes:
    """A 256-bit random key needs no slow hash: SHA-256 is enough to make a stolen table useless."""
    return hashlib.sha256(key.encode()).digest()
