from __future__ import annotations

from sqlalchemy import func, select
from tests.factories.cli import cli_env
from typer.testing import CliRunner

from skillvoucher.app import Runtime
from skillvoucher.cli.main import app
from skillvoucher.training import Course, CourseQuery, DemandEntry, search_courses


def test_demo_catalogue_creates_searchable_courses_and_adds_nothing_twice(runtime: Runtime) -> None:
    runner = CliRunner()
    arguments = ["demo", "catalogue", "--institutions", "3", "--courses", "4"]
    first = runner.invoke(app, arguments, env=cli_env(runtime))
    assert first.exit_code == 0, first.output
    assert "3 institutions, 12 courses" in first.output
    again = runner.invoke(app, arguments, env=cli_env(runtime))
    assert "0 institutions" in again.output
    with runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Course)) == 12
        entries = session.scalars(select(DemandEntry).where(DemandEntry.occupation_code == "4-10-01-05")).all()
        assert sorted((e.level, e.subsidy_fen, e.uplift_percent) for e in entries)[::4] == [
            (1, 300_000, 20),
            (5, 70_000, 20),
        ]
        found = search_courses(session, CourseQuery(region_code="350000"), today=runtime.clock.now().date())
        assert found.items


def test_demo_generate_also_makes_the_catalogue(runtime: Runtime) -> None:
    arguments = ["demo", "generate", "--persons", "50", "--institutions", "2", "--courses", "3"]
    result = CliRunner().invoke(app, arguments, env=cli_env(runtime))
    assert result.exit_code == 0, result.output
    assert "50 persons added" in result.output
    assert "2 institutions, 6 courses" in result.output
    with runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Course)) == 6
