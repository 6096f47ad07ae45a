"""`skillvoucher db …`: schema migrations."""

from __future__ import annotations

import typer

from skillvoucher.cli.context import console, runtime
from skillvoucher.db.migrate import current_revision, head_revision, upgrade

app = typer.Typer(help="Database schema: migrate and inspect.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    with runtime() as rt:
        upgrade(rt.engine, revision)
        console.print(f"database at revision [bold]{current_revision(rt.engine)}[/bold]")


@app.command("current")
def current_command() -> None:
    """Show the database's revision and whether it is the newest."""
    with runtime() as rt:
        current, head = current_revision(rt.engine), head_revision(rt.engine)
        state = "up to date" if current == head else f"behind (newest is {head})"
        console.print(f"{rt.engine.url.render_as_string(hide_password=True)}: {current or 'empty'} — {state}")
