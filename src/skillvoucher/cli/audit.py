"""`skillvoucher audit verify`: recompute the audit hash chain."""

from __future__ import annotations

import typer

from skillvoucher.audit import verify_chain
from skillvoucher.cli.context import console, err_console, runtime

app = typer.Typer(help="The audit trail.", no_args_is_help=True)


@app.command("verify")
def verify_command() -> None:
    """Recompute every event's hash; exit 1 and name the first broken link if the chain was tampered with."""
    with runtime() as rt, rt.uow.read() as session:
        checked, broken = verify_chain(session)
    if broken is not None:
        err_console.print(f"[red]audit chain broken at event {broken.seq}:[/red] {broken.reason}")
        raise typer.Exit(1)
    console.print(f"audit chain intact: {checked} events")
