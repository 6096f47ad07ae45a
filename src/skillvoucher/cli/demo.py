"""`skillvoucher demo …`: synthetic data for demonstrations and benchmarks."""

from __future__ import annotations

import typer

app = typer.Typer(help="Synthetic data for demonstrations and benchmarks.", no_args_is_help=True)
