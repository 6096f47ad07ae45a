"""`skillvoucher vouchers …`: issue, expire and revoke vouchers from the command line (an operator, audited)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from skillvoucher.app import Runtime
from skillvoucher.cli.context import console, err_console, runtime
from skillvoucher.core import Invalid
from skillvoucher.jobs import Job, run_job
from skillvoucher.training import roster_file_lines
from skillvoucher.vouchers import (
    DEFAULT_CHUNK_PERSONS,
    batch_progress,
    batch_step,
    expire_lapsed,
    issue_to_class_roster,
    issue_to_listed,
    region_policies,
    revoke_batch,
    revoke_voucher,
    start_batch,
    voucher_by_code,
)

MAX_LISTED = 200_000  # rows of one list file: checked row by row in one transaction

app = typer.Typer(help="Vouchers: issue by policy, expire, revoke.", no_args_is_help=True)

PolicyOption = Annotated[int, typer.Option("--policy", help="The voucher policy's id")]
TodayOption = Annotated[
    str | None, typer.Option("--today", help="The day to act as of (YYYY-MM-DD); default: the current date")
]


def _today(rt_today: date, given: str | None) -> date:
    try:
        return date.fromisoformat(given) if given else rt_today
    except ValueError:
        raise Invalid("--today 应为 YYYY-MM-DD / --today must be YYYY-MM-DD") from None


@app.command("issue")
def issue_command(
    policy: PolicyOption,
    listed: Annotated[
        Path | None,
        typer.Option("--list", exists=True, dir_okay=False, help="CSV/XLSX of resident ID numbers: issue to these"),
    ] = None,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="Person ids per transaction")] = DEFAULT_CHUNK_PERSONS,
    today: TodayOption = None,
) -> None:
    """Issue vouchers of POLICY to every eligible person in the registry (or to the persons a file lists).

    A batch runs in committed chunks: run the same command again after an interruption and it resumes.
    """
    with runtime() as rt:
        on = _today(rt.clock.now().date(), today)
        if listed is not None:
            _issue_listed(rt, policy, listed, on)
            return
        with rt.uow.begin() as session:
            job = start_batch(session, policy_id=policy, today=on, by=None)
            job_id, resumed_at = job.id, job.done
        if resumed_at:
            console.print(f"resuming job #{job_id} ({resumed_at} issued before)")
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[issued]} issued"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(f"policy {policy}", total=1.0, issued=resumed_at)

            def show(current: Job) -> None:
                bar.update(task, completed=batch_progress(current), issued=current.done)

            finished = run_job(rt.uow, job_id, batch_step(chunk), on_chunk=show)
    capped = " (stopped at the policy's cap)" if finished.result.get("stopped_by_cap") else ""
    console.print(f"job #{finished.id}: [green]{finished.result.get('issued', 0)} vouchers issued[/green]{capped}")


def _issue_listed(rt: Runtime, policy: int, path: Path, on: date) -> None:
    lines = roster_file_lines(path, most=MAX_LISTED)
    if len(lines) > MAX_LISTED:
        raise Invalid(f"名单超过 {MAX_LISTED} 行，请拆分 / the list has more than {MAX_LISTED} rows: split it")
    rows = [(line.number, line.id_number) for line in lines]
    with rt.uow.begin() as session:
        result = issue_to_listed(session, rt.cipher, policy_id=policy, rows=rows, today=on, by=None)
    for problem in result.problems:
        err_console.print(f"row {problem.row}: {problem.message}")
    console.print(f"{result.rows} rows: [green]{result.issued} issued[/green], {len(result.problems)} refused")


@app.command("roster-issue")
def roster_issue_command(policy: PolicyOption, today: TodayOption = None) -> None:
    """Issue the targeted vouchers of POLICY to the roster of its approved class."""
    with runtime() as rt, rt.uow.begin() as session:
        result = issue_to_class_roster(session, policy_id=policy, today=_today(rt.clock.now().date(), today), by=None)
    console.print(f"{result.listed} on the roster: [green]{result.issued} issued[/green], {result.not_issued} not")


@app.command("expire")
def expire_command(
    today: TodayOption = None,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="Vouchers per transaction")] = 10_000,
) -> None:
    """Expire every issued or claimed voucher whose last day has passed (chunked; safe to run again)."""
    total = 0
    with runtime() as rt:
        on = _today(rt.clock.now().date(), today)
        while True:
            with rt.uow.begin() as session:
                expired = expire_lapsed(session, today=on, limit=chunk)
            total += expired
            if expired < chunk:
                break
    console.print(f"{total} vouchers expired")


@app.command("revoke")
def revoke_command(
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the voucher and in the audit trail)")],
    code: Annotated[str | None, typer.Option("--code", help="One voucher, by its code")] = None,
    job: Annotated[int | None, typer.Option("--job", help="Every voucher an issuance job issued")] = None,
) -> None:
    """Revoke one voucher (--code) or a whole batch (--job); only issued and claimed vouchers can be revoked."""
    if (code is None) == (job is None):
        raise typer.BadParameter("give --code or --job")
    with runtime() as rt, rt.uow.begin() as session:
        if code is not None:
            voucher = voucher_by_code(session, code)
            revoke_voucher(session, voucher_id=voucher.id, reason=reason, by=None)
            count = 1
        else:
            assert job is not None
            count = revoke_batch(session, job_id=job, reason=reason, by=None)
    console.print(f"{count} vouchers revoked")


@app.command("policies")
def policies_command(
    region: Annotated[str, typer.Option("--region", help="A province, city or county code")] = "",
) -> None:
    """List voucher policies (of a region and its sub-regions)."""
    with runtime() as rt, rt.uow.read() as session:
        lines = region_policies(session, region_code=region or "")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for header in ("#", "name", "kind", "region", "state", "window", "issued", "cap"):
        table.add_column(header)
    for p in lines:
        cap = "" if p.quantity_cap is None else str(p.quantity_cap)
        window = f"{p.opens_on}…{p.closes_on}"
        table.add_row(str(p.id), p.name, p.kind, p.region_code, p.state, window, str(p.issued_count), cap)
    console.print(table)
