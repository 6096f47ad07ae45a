"""`skillvoucher catalogue …`: the training catalogues at the server's command line (an operator, fully trusted)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skillvoucher.cli.context import console, err_console, runtime
from skillvoucher.training import import_demand_file, refresh_next_starts

app = typer.Typer(help="The training catalogues: demand catalogue import, course upkeep.", no_args_is_help=True)


@app.command("import-demand")
def import_demand_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A CSV or XLSX catalogue")],
    report: Annotated[
        Path | None, typer.Option("--report", help="Where to write the error report (default: beside FILE)")
    ] = None,
) -> None:
    """Import training-demand catalogue entries from FILE (docs/catalogues.md). Bad rows are reported by row number
    and write nothing; good rows are kept, each superseding an active entry of the same start."""
    report_path = report or file.with_name(f"{file.stem}.errors.csv")
    with runtime() as rt, rt.uow.begin() as session:
        result = import_demand_file(session, path=file, report_path=report_path, by=None)
    console.print(f"{result.added} entries added, {result.rejected} rows refused")
    if result.report is not None:
        err_console.print(f"the refused rows and why: {result.report}")


@app.command("refresh")
def refresh_command() -> None:
    """Re-derive each course's next class start that time has passed (run daily; search is right without it, and
    faster with it)."""
    with runtime() as rt, rt.uow.begin() as session:
        changed = refresh_next_starts(session, today=rt.clock.now().date())
    console.print(f"{changed} courses re-derived")
