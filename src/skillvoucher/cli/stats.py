"""`skillvoucher stats …`: check the statistics rollups against the raw tables, rebuild or compact them."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich import box
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func, select

from skillvoucher.app import Runtime
from skillvoucher.cli.context import console, err_console, runtime
from skillvoucher.reporting import headline, rebuild, verify
from skillvoucher.stats import NATIONAL, StatCount, compact, kind_of_key

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
            f"{policy_id} ({kind_of_key(policy_id)})" if policy_id < 0 else str(policy_id),
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


@app.command("compact")
def compact_command() -> None:
    """Fold each rollup key's slot rows into one (exact; a province per transaction), so dashboards read fewer rows.
    Safe while the service runs; run it nightly."""
    started = time.monotonic()
    with runtime() as rt:
        before = _rows(rt)
        with Progress(console=err_console, transient=True) as progress:
            task = progress.add_task("folding slot rows", total=None)
            folded = compact(rt.uow, lambda done, total: progress.update(task, completed=done, total=total))
        after = _rows(rt)
    console.print(
        f"rollups compacted: {folded:,} slot rows folded ({before:,} → {after:,} rows) "
        f"in {time.monotonic() - started:.1f} s"
    )


def _rows(rt: Runtime) -> int:
    with rt.uow.read() as session:
        return int(session.scalar(select(func.count()).select_from(StatCount)) or 0)
