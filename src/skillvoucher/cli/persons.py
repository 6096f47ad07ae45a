"""`skillvoucher persons …`: the worker registry. Numbers are only ever shown masked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from skillvoucher.cli.context import console, runtime
from skillvoucher.core import Actor
from skillvoucher.identity import DEFAULT_CHUNK_SIZE, ImportProgress, import_person_file, list_persons

app = typer.Typer(help="The worker registry: import and list persons.", no_args_is_help=True)

_GENDER = {"M": "男", "F": "女"}
# (header, may wrap): the masked numbers and dates stay on one line so they are never cut.
_LIST_COLUMNS = (
    ("#", False),
    ("姓名", True),
    ("身份证号", False),
    ("手机", False),
    ("户籍地", True),
    ("性别", False),
    ("出生日期", False),
    ("人员类别", True),
)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A CSV or XLSX person file")],
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="Rows per transaction")] = DEFAULT_CHUNK_SIZE,
) -> None:
    """Import persons from FILE (see docs/person-import.md). Importing the same file again adds nothing.

    Bad rows are skipped and listed in an error report (exit code 0); a file that cannot be read at all is refused
    as a whole (exit code 2) and nothing is written.
    """
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with runtime() as rt, Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"importing {file.name}", total=None)

        def show(done: ImportProgress) -> None:
            bar.update(task, completed=done.rows, total=done.total)

        summary = import_person_file(
            file,
            uow=rt.uow,
            cipher=rt.cipher,
            actor=Actor.operator("cli"),
            reports_dir=rt.settings.data_dir / "reports",
            chunk_size=chunk_size,
            progress=show,
        )
    console.print(
        f"import #{summary.import_id} of {summary.file_name} ({summary.file_format}): "
        f"{summary.rows_read} rows read, [green]{summary.added} added[/green], "
        f"{summary.existing} already registered, "
        f"[{'red' if summary.rejected else 'green'}]{summary.rejected} rejected[/] ({summary.problems} problems)"
    )
    if summary.ignored_columns:
        console.print(f"ignored columns: {', '.join(summary.ignored_columns)}")
    if summary.error_report is not None:
        console.print(f"error report (one line per problem): {summary.error_report}", soft_wrap=True)


@app.command("list")
def list_command(
    region: Annotated[str | None, typer.Option("--region", help="A province, city or county code (GB/T 2260)")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="At most this many persons")] = 50,
) -> None:
    """List persons in registration order, with masked ID and phone numbers."""
    with runtime() as rt, rt.uow.read() as session:
        persons = list_persons(session, cipher=rt.cipher, region_code=region, limit=limit)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, padding=0, collapse_padding=True)
    for header, wraps in _LIST_COLUMNS:
        table.add_column(header, no_wrap=not wraps)
    for person in persons:
        table.add_row(
            str(person.id),
            person.name,
            person.id_number_masked,
            person.phone_masked or "",
            person.region_name,
            _GENDER[person.gender],
            person.birth_date.isoformat(),
            "、".join(person.groups),
        )
    console.print(table)
    console.print(f"{len(persons)} shown")
