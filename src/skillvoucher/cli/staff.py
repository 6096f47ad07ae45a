"""`skillvoucher staff …`: staff accounts, for operators at the server (acting as the system, fully trusted)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from skillvoucher.cli.context import console, runtime
from skillvoucher.identity import (
    Binding,
    Role,
    create_staff,
    disable_staff,
    enable_staff,
    find_staff_by_username,
    list_staff,
    reset_password,
    reset_totp,
)

app = typer.Typer(help="Staff accounts: create, disable, enable, reset.", no_args_is_help=True)
STAFF_ROLE_NAMES = [role.value for role in Role if role is not Role.WORKER]

Username = Annotated[str, typer.Argument(help="The account's username")]


@app.command("create")
def create_command(
    username: Username,
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(STAFF_ROLE_NAMES))],
    name: Annotated[str, typer.Option("--name", help="Display name")] = "",
    region: Annotated[str | None, typer.Option(help="Region code (required for officers and auditors)")] = None,
    institution: Annotated[int | None, typer.Option(help="Institution id (institution staff)")] = None,
    assessment_body: Annotated[int | None, typer.Option(help="Assessment body id (assessors)")] = None,
) -> None:
    """Create a staff account and print its one-time password (to be changed at first sign-in)."""
    if role not in STAFF_ROLE_NAMES:
        raise typer.BadParameter(f"role must be one of {', '.join(STAFF_ROLE_NAMES)}", param_hint="--role")
    binding = Binding(Role(role), region_code=region, institution_id=institution, assessment_body_id=assessment_body)
    with runtime() as rt, rt.uow.begin() as session:
        account, first_password = create_staff(
            session, username=username, display_name=name or username, binding=binding, by=None
        )
    console.print(f"created {account.username} ({account.role}); one-time password: [bold]{first_password}[/bold]")


@app.command("disable")
def disable_command(username: Username) -> None:
    """Disable an account; its sessions end at once."""
    with runtime() as rt, rt.uow.begin() as session:
        account = disable_staff(session, account_id=find_staff_by_username(session, username).id, by=None)
    console.print(f"disabled {account.username}")


@app.command("enable")
def enable_command(username: Username) -> None:
    """Enable a disabled or locked account."""
    with runtime() as rt, rt.uow.begin() as session:
        account = enable_staff(session, account_id=find_staff_by_username(session, username).id, by=None)
    console.print(f"enabled {account.username}")


@app.command("reset")
def reset_command(
    username: Username,
    totp: Annotated[bool, typer.Option("--totp", help="Also remove the second factor, to be set up again")] = False,
) -> None:
    """Give an account a one-time password (and unlock it); every session ends."""
    with runtime() as rt, rt.uow.begin() as session:
        account_id = find_staff_by_username(session, username).id
        account, one_time = reset_password(session, account_id=account_id, by=None)
        if totp:
            reset_totp(session, account_id=account_id, by=None)
    console.print(f"reset {account.username}; one-time password: [bold]{one_time}[/bold]")


@app.command("list")
def list_command() -> None:
    """List staff accounts (never their secrets)."""
    table = Table("username", "name", "role", "region", "institution", "second factor", "state")
    with runtime() as rt, rt.uow.read() as session:
        for account in list_staff(session):
            state = "disabled" if account.disabled_at else ("locked" if account.locked_until else "active")
            table.add_row(
                account.username,
                account.display_name,
                account.role,
                account.region_code or "",
                str(account.institution_id or account.assessment_body_id or ""),
                "yes" if account.totp_confirmed_at else "no",
                state,
            )
    console.print(table)
