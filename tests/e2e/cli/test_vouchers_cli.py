from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from tests.factories.cli import cli_runner
from tests.factories.vouchers import OFFICER, TODAY, person, terms

from skillvoucher.app import Runtime
from skillvoucher.cli.main import app
from skillvoucher.identity import PopulationGroup
from skillvoucher.vouchers import Validity, Voucher, define_policy


def _count(runtime: Runtime, state: str | None = None) -> int:
    query = select(func.count()).select_from(Voucher)
    if state:
        query = query.where(Voucher.state == state)
    with runtime.uow.read() as session:
        return int(session.scalar(query) or 0)


def test_issue_expire_and_revoke_from_the_command_line(runtime: Runtime, tmp_path: Path) -> None:
    with runtime.uow.begin() as session:
        for _ in range(5):
            person(session, runtime.cipher)
        person(session, runtime.cipher, groups=PopulationGroup.ENTERPRISE_EMPLOYEE)
        policy = define_policy(session, terms=terms(validity=Validity(until=TODAY)), today=TODAY, by=OFFICER).id
    cli = cli_runner(runtime)
    day = ["--today", TODAY.isoformat()]
    issued = cli.invoke(app, ["vouchers", "issue", "--policy", str(policy), "--chunk", "2", *day])
    assert issued.exit_code == 0, issued.output
    assert "5 vouchers issued" in issued.output
    again = cli.invoke(app, ["vouchers", "issue", "--policy", str(policy), *day])
    assert "0 vouchers issued" in again.output
    assert _count(runtime) == 5

    listing = cli.invoke(app, ["vouchers", "policies", "--region", "350200"])
    assert "厦门市失业人员培训券" in listing.output

    revoked = cli.invoke(app, ["vouchers", "revoke", "--job", "1", "--reason", "测试撤销"])
    assert revoked.exit_code == 0, revoked.output
    assert "5 vouchers revoked" in revoked.output
    assert _count(runtime, "revoked") == 5
    nothing = cli.invoke(app, ["vouchers", "expire", "--today", "2028-01-01"])
    assert "0 vouchers expired" in nothing.output


def test_issue_to_a_listed_file_reports_bad_rows(runtime: Runtime, tmp_path: Path) -> None:
    with runtime.uow.begin() as session:
        someone = person(session, runtime.cipher)
        number = runtime.cipher.decrypt("id_number", someone.id_number_encrypted)
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER).id
    listed = tmp_path / "list.csv"
    listed.write_text(f"姓名,身份证号码\n林小明,{number}\n某人,110105199003070000\n", encoding="utf-8")
    cli = cli_runner(runtime)
    result = cli.invoke(
        app, ["vouchers", "issue", "--policy", str(policy), "--list", str(listed), "--today", "2026-12-01"]
    )
    assert result.exit_code == 0, result.output
    assert "2 rows: 1 issued, 1 refused" in result.output
    assert number not in result.output
    expired = cli.invoke(app, ["vouchers", "expire", "--today", "2028-01-01"])
    assert "1 vouchers expired" in expired.output
    bad = cli.invoke(app, ["vouchers", "issue", "--policy", "999", "--today", "2026-12-01"])
    assert bad.exit_code == 3
