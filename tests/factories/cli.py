"""Running the `skillvoucher` command against the test database, as an operator would."""

from __future__ import annotations

from typer.testing import CliRunner

from skillvoucher.app import Runtime


def cli_env(runtime: Runtime) -> dict[str, str]:
    settings = runtime.settings
    keys = {name: getattr(settings, name).get_secret_value() for name in ("pii_key", "lookup_key", "session_secret")}
    return {
        "SKILLVOUCHER_DATABASE_URL": runtime.engine.url.render_as_string(hide_password=False),
        "SKILLVOUCHER_DATA_DIR": str(settings.data_dir),
        **{f"SKILLVOUCHER_{name.upper()}": value for name, value in keys.items()},
        "COLUMNS": "200",
    }


def cli_runner(runtime: Runtime) -> CliRunner:
    return CliRunner(env=cli_env(runtime))
