"""All configuration, from SKILLVOUCHER_* environment variables (or a .env file), validated once.

Secret keys must be real outside development: a missing key or a placeholder stops the program. In development
and demo mode, keys that are not given are generated on first start and kept in the data folder (mode 0600).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KEY_NAMES = ("pii_key", "lookup_key", "session_secret")
PLACEHOLDERS = {"", "change-me", "changeme", "placeholder", "secret", "xxx", "todo"}


class SettingsError(RuntimeError):
    """The configuration cannot be used; the message says which setting and why."""


@dataclass(frozen=True)
class Keys:
    pii_key: bytes  # AES-256-GCM key for personal data at rest
    lookup_key: bytes  # keyed-hash key for finding a person by ID or phone number
    session_secret: bytes  # signs session cookies


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKILLVOUCHER_", env_file=".env", extra="ignore")

    mode: Literal["development", "demo", "production"] = "development"
    data_dir: Path = Field(default=Path("data"), description="Folder for the SQLite database, keys and reports")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite in data_dir")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    default_language: Literal["zh_CN", "en"] = "zh_CN"
    log_format: Literal["auto", "console", "json"] = "auto"
    load_demo_data: bool = Field(default=True, description="Load the small demo data set on first start")
    step_up_minutes: int = Field(default=10, ge=1, le=240, description="How recent a real-name confirmation must be")
    session_hours: int = Field(default=8, ge=1, le=72, description="Sessions end this long after sign-in")
    lockout_threshold: int = Field(default=10, ge=3, description="Consecutive failed sign-ins that lock an account")
    lockout_minutes: int = Field(default=15, ge=1, description="How long a locked account stays locked")
    sign_in_failures_per_address: int = Field(default=50, ge=5, description="Failures per address per 15 minutes")
    essc_provider: Literal["emulator", "oidc"] = "emulator"
    essc_emulator_enabled: bool | None = Field(default=None, description="Default: on in development/demo only")
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    pii_key: SecretStr | None = None
    lookup_key: SecretStr | None = None
    session_secret: SecretStr | None = None

    @model_validator(mode="after")
    def _secrets_are_real_outside_development(self) -> Settings:
        if self.essc_provider == "oidc" and not (self.oidc_issuer and self.oidc_client_id):
            raise ValueError(
                "SKILLVOUCHER_OIDC_ISSUER and SKILLVOUCHER_OIDC_CLIENT_ID are required for the oidc provider"
            )
        if self.is_development:
            return self
        for name in KEY_NAMES:
            value: SecretStr | None = getattr(self, name)
            if value is None or value.get_secret_value().strip().lower() in PLACEHOLDERS:
                raise ValueError(
                    f"SKILLVOUCHER_{name.upper()} must be set to a real secret in {self.mode} mode "
                    "(32 random bytes, base64; generate one with `skillvoucher keys generate`)"
                )
        return self

    @property
    def emulator_enabled(self) -> bool:
        return self.is_development if self.essc_emulator_enabled is None else self.essc_emulator_enabled

    @property
    def is_development(self) -> bool:
        return self.mode in ("development", "demo")

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'skillvoucher.sqlite3').resolve()}"

    @property
    def effective_log_format(self) -> Literal["console", "json"]:
        if self.log_format != "auto":
            return self.log_format
        return "console" if self.is_development else "json"

    @cached_property
    def keys(self) -> Keys:
        given = {name: getattr(self, name) for name in KEY_NAMES}
        if any(value is None for value in given.values()):
            stored = _local_keys(self.data_dir)
            given = {name: given[name] or SecretStr(stored[name]) for name in KEY_NAMES}
        return Keys(**{name: _decode_key(name, value) for name, value in given.items()})


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _decode_key(name: str, value: SecretStr | None) -> bytes:
    assert value is not None
    try:
        raw = base64.b64decode(value.get_secret_value(), validate=True)
    except ValueError as error:
        raise SettingsError(f"SKILLVOUCHER_{name.upper()} is not valid base64") from error
    if len(raw) != 32:
        raise SettingsError(f"SKILLVOUCHER_{name.upper()} must decode to 32 bytes, not {len(raw)}")
    return raw


def _local_keys(data_dir: Path) -> dict[str, str]:
    """Development keys, generated once and kept beside the development database."""
    path = data_dir / "dev-keys.json"
    if path.exists():
        stored: dict[str, str] = json.loads(path.read_text())
        if all(name in stored for name in KEY_NAMES):
            return stored
    data_dir.mkdir(parents=True, exist_ok=True)
    stored = {name: new_key() for name in KEY_NAMES}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(stored, file, indent=2)
    return stored


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValueError as error:
        raise SettingsError(str(error)) from error
