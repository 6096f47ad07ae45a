"""`skillvoucher persons …`: the worker registry."""

from __future__ import annotations

import typer

app = typer.Typer(help="The worker registry: import and list persons.", no_args_is_help=True)
