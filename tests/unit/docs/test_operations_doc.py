"""Every setting and every CLI command appears in docs/operations.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from skillvoucher.cli.main import app
from skillvoucher.settings import Settings

DOC = (Path(__file__).resolve().parents[3] / "docs" / "operations.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str) -> list[str]:
    """Walk a click-style command tree (typer may bring its own copy of click, so go by shape, not class)."""
    found: list[str] = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found.extend(_commands(command, f"{prefix} {name}"))
        else:
            found.append(f"{prefix} {name}")
    return found


def test_every_setting_is_documented() -> None:
    missing = [name for name in Settings.model_fields if f"`SKILLVOUCHER_{name.upper()}`" not in DOC]
    assert missing == []


def test_every_command_is_documented() -> None:
    root = typer.main.get_command(app)
    commands = _commands(root, "skillvoucher")
    assert "skillvoucher db upgrade" in commands
    missing = [command for command in commands if f"`{command}`" not in DOC]
    assert missing == []
