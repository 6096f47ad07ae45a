from __future__ import annotations

import stat
from pathlib import Path

import pytest

from skillvoucher.settings import Settings, SettingsError, load_settings, new_key


def test_development_generates_keys_once_and_keeps_them_private(tmp_path: Path) -> None:
    first = Settings(mode="development", data_dir=tmp_path).keys
    second = Settings(mode="development", data_dir=tmp_path).keys
    assert first == second
    assert len(first.pii_key) == 32
    assert first.pii_key != first.lookup_key
    mode = stat.S_IMODE((tmp_path / "dev-keys.json").stat().st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("placeholder", ["", "change-me", "placeholder"])
def test_production_refuses_placeholder_secrets(tmp_path: Path, placeholder: str) -> None:
    with pytest.raises(SettingsError, match="SKILLVOUCHER_PII_KEY"):
        load_settings(
            mode="production",
            data_dir=tmp_path,
            pii_key=placeholder,
            lookup_key=new_key(),
            session_secret=new_key(),
        )


def test_production_refuses_missing_secrets(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="must be set"):
        load_settings(mode="production", data_dir=tmp_path)


def test_production_accepts_real_secrets_and_writes_no_key_file(tmp_path: Path) -> None:
    settings = load_settings(
        mode="production", data_dir=tmp_path, pii_key=new_key(), lookup_key=new_key(), session_secret=new_key()
    )
    assert len(settings.keys.session_secret) == 32
    assert not (tmp_path / "dev-keys.json").exists()


def test_key_of_wrong_length_is_refused(tmp_path: Path) -> None:
    settings = load_settings(
        mode="production", data_dir=tmp_path, pii_key="c2hvcnQ=", lookup_key=new_key(), session_secret=new_key()
    )
    with pytest.raises(SettingsError, match="32 bytes"):
        _ = settings.keys


def test_environment_prefix_and_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLVOUCHER_PORT", "8123")
    monkeypatch.setenv("SKILLVOUCHER_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.port == 8123
    assert settings.effective_database_url == f"sqlite:///{tmp_path.resolve() / 'skillvoucher.sqlite3'}"
    assert settings.default_language == "zh_CN"


def test_postgres_urls_use_psycopg_3() -> None:
    from skillvoucher.db.engine import normalize_url

    assert normalize_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalize_url("postgres://u@h/db").startswith("postgresql+psycopg://")
