"""`skillvoucher stats …`: check the statistics rollups against the raw tables, or rebuild them."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from skillvoucher.cli.context import console, err_console, runtime
from skillvoucher.reporting import headline, rebuild, verify
from skillvoucher.stats import NATIONAL

app = typer.Typer(help="Statistics: the rollups behind the dashboards.", no_args_is_help=True)

SHOWN_DIFFERENCES = 20


@app.command("verify")
def verify_command(
    show: Annotated[int, typer.Option("--show", min=0, help="How many differences to list")] = SHOWN_DIFFERENCES,
) -> None:
    """Recompute every rollup from vouchers, enrolments and certificates; exit 1 and list differences if any."""
    started = time.monotonic()
    with runtime() as rt, rt.uow.read() as session:
        result = verify(session)
        national = headline(session, NATIONAL)
    seconds = time.monotonic() - started
    console.print(f"national: {national.issued:,} issued, {national.used:,} used")
    if not result.differences:
        console.print(f"rollups match the raw tables: {result.keys_checked:,} cells checked in {seconds:.1f} s")
        return
    table = Table("region", "month", "policy", "dimension", "member", "measure", "stored", "recomputed", box=box.SIMPLE)
    for difference in result.differences[:show]:
        region, month, policy_id, dimension, member = difference.key
        table.add_row(
            region,
            str(month),
            str(policy_id),
            dimension,
            member,
            difference.measure,
            f"{difference.stored:,}",
            f"{difference.recomputed:,}",
        )
    err_console.print(table)
    err_console.print(
        f"[red]{len(result.differences):,} differences[/red] in {result.keys_checked:,} cells "
        "(`skillvoucher stats rebuild` recomputes the rollups)"
    )
    raise typer.Exit(1)


@app.command("rebuild")
def rebuild_command() -> None:
    """Replace the rollups with ones recomputed from the raw tables, in one transaction (e.g. after a restore)."""
    started = time.monotonic()
    with runtime() as rt, rt.uow.begin() as session:
        cells = rebuild(session)
    console.print(f"rollups rebuilt: {cells:,} cells in {time.monotonic() - started:.1f} s")
