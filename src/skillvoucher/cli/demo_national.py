"""`skillvoucher demo national`: progress bars for the national demo's phases, then its timings and headline."""

from __future__ import annotations

import time

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from skillvoucher.app import Runtime, build_runtime
from skillvoucher.cli.context import console, err_console
from skillvoucher.db import UnitOfWork
from skillvoucher.demo import build_national_demo, national_plan_for
from skillvoucher.identity import PiiCipher

BARS = {"persons": "persons", "batch": "vouchers issued in batches", "targeted": "targeted vouchers enrolled"}


def worker_runtime() -> tuple[UnitOfWork, PiiCipher]:
    """A worker process's own database connections and cipher, from the same settings as the command's."""
    rt = build_runtime()
    return rt.uow, rt.cipher


def build_national(rt: Runtime, scale: float, seed: int, workers: int) -> None:
    started = time.perf_counter()
    plan = national_plan_for(rt.uow, scale=scale, seed=seed)
    totals = {
        "persons": sum(p.persons for p in plan.provinces),
        "batch": sum(w.cap for p in plan.provinces for w in p.waves),
        "targeted": plan.used,
    }
    console.print(
        f"national demo at scale {scale:g}, {workers} worker process(es): "
        f"{plan.issued:,} vouchers issued, {plan.used:,} used, "
        f"{totals['persons']:,} persons"
    )
    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        tasks = {what: progress.add_task(label, total=totals[what]) for what, label in BARS.items()}
        result = build_national_demo(
            rt.uow,
            rt.cipher,
            scale=scale,
            seed=seed,
            workers=workers,
            worker_runtime=worker_runtime,
            on_progress=lambda what, n: progress.advance(tasks[what], n),
        )
    if not result.pilot_cities_flagged:
        console.print("[yellow]no pilot cities are flagged in the regions table: the demo chose its own 38[/yellow]")
    table = Table("phase", "seconds", box=box.SIMPLE_HEAD, show_edge=False)
    for phase, seconds in result.seconds.items():
        table.add_row(phase, f"{seconds:,.1f}")
    table.add_row("total", f"{time.perf_counter() - started:,.1f}")
    console.print(table)
    summed = ", ".join(f"{what} {seconds:,.1f} s" for what, seconds in result.task_seconds.items())
    console.print(f"task time summed over the workers: {summed}")
    national = result.totals
    console.print(
        f"national: [green]{national.issued:,} issued[/green] ({national.issued / 10_000:.2f}万), "
        f"[green]{national.used:,} used[/green] ({national.used / 10_000:.2f}万), "
        f"{national.claimed:,} taken up, {national.expired:,} expired"
    )
    if result.differences:
        err_console.print(
            f"[red]stats verify: {result.differences:,} differences[/red] in {result.cells_checked:,} cells"
        )
        raise typer.Exit(1)
    console.print(f"stats verify: rollups match the raw tables ({result.cells_checked:,} cells)")
