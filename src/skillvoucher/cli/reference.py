"""`skillvoucher reference load`: regions, occupations and skill levels."""

from __future__ import annotations

from typing import Annotated

import typer

from skillvoucher.catalog import load_reference_data, mark_pilot_cities
from skillvoucher.cli.context import console, runtime
from skillvoucher.core import Actor

app = typer.Typer(help="Reference data: regions (GB/T 2260), occupations (2022), skill levels.", no_args_is_help=True)


@app.command("load")
def load_command() -> None:
    """Load or refresh reference data; loading again changes nothing."""
    with runtime() as rt, rt.uow.begin() as session:
        counts = load_reference_data(session, actor=Actor.operator("cli"))
    console.print(
        f"regions {counts.regions}, occupations {counts.occupations}, skill levels {counts.skill_levels} "
        f"({counts.added} added)"
    )


@app.command("pilot")
def pilot_command(
    cities: Annotated[list[str], typer.Argument(help="Prefecture-level city codes (GB/T 2260), e.g. 350200")],
) -> None:
    """Set the 2020 pilot cities the statistics compare with the national rollout (replaces the previous set)."""
    with runtime() as rt, rt.uow.begin() as session:
        flagged = mark_pilot_cities(session, cities, actor=Actor.operator("cli"))
    console.print(f"pilot cities: {flagged}")
