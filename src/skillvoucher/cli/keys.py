"""`skillvoucher keys generate`: fresh secrets for production settings."""

from __future__ import annotations

from skillvoucher.cli.context import console
from skillvoucher.settings import KEY_NAMES, new_key


def generate_command() -> None:
    """Print new random keys as SKILLVOUCHER_* lines for an environment file."""
    for name in KEY_NAMES:
        console.print(f"SKILLVOUCHER_{name.upper()}={new_key()}", soft_wrap=True)
