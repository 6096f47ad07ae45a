"""Personal data at rest: AES-256-GCM encryption, and keyed hashes to find a record without decrypting.

Ciphertext layout: one version byte, a 12-byte random nonce, then the AES-GCM output. The field name is bound as
associated data, so an encrypted phone number cannot be passed off as an ID number.
"""

from __future__ import annotations

import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"


class PiiCipher:
    def __init__(self, *, encryption_key: bytes, lookup_key: bytes) -> None:
        if len(encryption_key) != 32 or len(lookup_key) != 32:
            raise ValueError("personal-data keys must be 32 bytes")
        if hmac.compare_digest(encryption_key, lookup_key):
            raise ValueError("the encryption key and the lookup key must differ")
        self._aead = AESGCM(encryption_key)
        self._lookup_key = lookup_key

    def encrypt(self, field: str, value: str) -> bytes:
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, value.encode(), field.encode())

    def decrypt(self, field: str, blob: bytes) -> str:
        if blob[:1] != _VERSION:
            raise ValueError("unknown personal-data ciphertext version")
        return self._aead.decrypt(blob[1:13], blob[13:], field.encode()).decode()

    def lookup_hash(self, field: str, value: str) -> bytes:
        """HMAC-SHA256 over field and value: equal values match, nobody without the key can test a guess."""
        return hmac.digest(self._lookup_key, field.encode() + b"\x00" + value.encode(), "sha256")
