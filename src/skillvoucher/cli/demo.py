"""`skillvoucher demo …`: synthetic data for demonstrations and benchmarks."""

from __future__ import annotations

import os
import time

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from skillvoucher.app import Runtime
from skillvoucher.cli.context import console, err_console, runtime
from skillvoucher.cli.demo_national import build_national
from skillvoucher.core import Actor
from skillvoucher.demo import DEMO_REGION, current_totp_code, generate_demo_catalogue, generate_demo_persons

app = typer.Typer(help="Synthetic data for demonstrations and benchmarks.", no_args_is_help=True)


@app.command("generate")
def generate_command(
    persons: int = typer.Option(1000, "--persons", min=0, help="How many persons to add to the registry"),
    institutions: int = typer.Option(0, "--institutions", min=0, help="Also add this many training institutions"),
    courses: int = typer.Option(5, "--courses", min=1, help="Courses per institution (with --institutions)"),
    region: str = typer.Option(DEMO_REGION, "--region", help="The province (code) the institutions are in"),
    seed: int = typer.Option(2021, help="The same seed gives the same data, so running twice adds nothing"),
) -> None:
    """Add realistic synthetic persons (valid ID numbers, names, phones, regions weighted by population) and,
    with --institutions, a demand catalogue and institutions with courses and classes."""
    with runtime() as rt:
        if persons:
            _generate_persons(rt, persons, seed)
        if institutions:
            _generate_catalogue(rt, institutions, courses, region, seed)


@app.command("catalogue")
def catalogue_command(
    institutions: int = typer.Option(20, "--institutions", min=1, help="How many training institutions to add"),
    courses: int = typer.Option(5, "--courses", min=1, help="Courses per institution"),
    region: str = typer.Option(DEMO_REGION, "--region", help="The province (code) they are in"),
    seed: int = typer.Option(2021, help="The same seed gives the same institutions, so running twice adds nothing"),
) -> None:
    """Add a demand catalogue and accredited institutions with courses and classes, through the real actions."""
    with runtime() as rt:
        _generate_catalogue(rt, institutions, courses, region, seed)


def _generate_persons(rt: Runtime, persons: int, seed: int) -> None:
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


def _generate_catalogue(rt: Runtime, institutions: int, courses: int, region: str, seed: int) -> None:
    started = time.perf_counter()
    columns = (TextColumn("institutions"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("institutions", total=institutions)
        result = generate_demo_catalogue(
            rt.uow,
            institutions=institutions,
            courses_per_institution=courses,
            today=rt.clock.now().date(),
            within=region,
            seed=seed,
            on_progress=lambda done: progress.update(task, completed=done),
        )
    elapsed = time.perf_counter() - started
    console.print(
        f"{result.demand_entries} demand catalogue entries, {result.institutions} institutions, "
        f"{result.courses} courses and {result.classes} class applications added in {elapsed:.1f} s"
    )


@app.command("national")
def national_command(
    scale: float = typer.Option(1.0, "--scale", min=0.0001, max=1.0, help="Totals scaled (0.001 for a small copy)"),
    seed: int = typer.Option(2021, help="The same seed and scale give the same data; a re-run resumes"),
    workers: int = typer.Option(
        min(4, os.cpu_count() or 1), "--workers", min=1, help="Processes that share the provinces' work"
    ),
) -> None:
    """Build, on PostgreSQL, a nationwide data set whose totals are the 2021 figures (19,267,200 vouchers issued,
    5,007,200 used) through the product's own actions: persons, batches, targeted classes, enrolment.
    Killed at any point, the same command resumes without counting anything twice."""
    with runtime() as rt:
        build_national(rt, scale, seed, workers)


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
