"""`skillvoucher demo …`: synthetic data for demonstrations and benchmarks."""

from __future__ import annotations

import time

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from skillvoucher.cli.context import console, err_console, runtime
from skillvoucher.core import Actor
from skillvoucher.demo import current_totp_code, generate_demo_persons

app = typer.Typer(help="Synthetic data for demonstrations and benchmarks.", no_args_is_help=True)


@app.command("generate")
def generate_command(
    persons: int = typer.Option(1000, "--persons", min=1, help="How many persons to add to the registry"),
    seed: int = typer.Option(2021, help="The same seed gives the same persons, so running twice adds nothing"),
) -> None:
    """Add realistic synthetic persons (valid ID numbers, names, phones, regions weighted by population)."""
    with runtime() as rt:
        started = time.perf_counter()
        columns = (TextColumn("persons"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("persons", total=persons)
            result = generate_demo_persons(
                rt.uow,
                rt.cipher,
                count=persons,
                today=rt.clock.now().date(),
                seed=seed,
                actor=Actor.operator("cli"),
                on_progress=lambda done: progress.update(task, completed=done),
            )
        elapsed = time.perf_counter() - started
    console.print(
        f"{result.added} persons added, {result.existing} already present, in {elapsed:.1f} s "
        f"({result.requested / elapsed:,.0f} per second)"
    )


@app.command("totp")
def totp_command(username: str = typer.Argument(..., help="A demo staff account")) -> None:
    """Print the second-factor code a demo account's authenticator shows now (development and demo mode only)."""
    with runtime() as rt:
        if not rt.settings.is_development:
            err_console.print("[red]refused:[/red] only in development or demo mode")
            raise typer.Exit(5)
        with rt.uow.read() as session:
            code = current_totp_code(session, rt.cipher, username.strip().lower())
    if code is None:
        err_console.print(f"[red]{username}[/red] has no second factor (or does not exist)")
        raise typer.Exit(3)
    console.print(code)
