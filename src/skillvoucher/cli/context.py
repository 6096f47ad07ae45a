"""Shared plumbing for CLI commands: one runtime per process, domain errors turned into exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from skillvoucher.app import Runtime, build_runtime
from skillvoucher.core import DomainError
from skillvoucher.settings import SettingsError

console = Console()
err_console = Console(stderr=True)

EXIT_CODES = {"invalid": 2, "not_found": 3, "conflict": 4, "forbidden": 5}


@contextmanager
def runtime() -> Iterator[Runtime]:
    try:
        current = build_runtime()
    except SettingsError as error:
        err_console.print(f"[red]configuration error:[/red] {error}")
        raise typer.Exit(78) from error
    try:
        yield current
    except DomainError as error:
        err_console.print(f"[red]{error.code}:[/red] {error.message}")
        raise typer.Exit(EXIT_CODES.get(error.kind, 1)) from error
    finally:
        current.close()
