"""The demand catalogue page: an officer imports a file (good rows in, bad rows listed) and sees the entries;
an auditor reads but cannot import; another region is refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.factories.accounts import csrf, make_staff, sign_in

from skillvoucher.app import Runtime
from skillvoucher.identity import Role
from skillvoucher.web.app import create_app

CATALOGUE = (
    "地区代码,职业编码,等级,补贴标准,标准课时,紧缺标识,上浮比例,开始日期\n"
    "350200,4-10-01-05,4,1000,120,紧缺,20,2027-01-01\n"
    "350200,9-99-99-99,4,1000,120,,,2027-01-01\n"
).encode("gb18030")


def test_an_officer_imports_the_catalogue_and_sees_bad_rows(runtime: Runtime) -> None:
    officer = make_staff(runtime, "demand.officer", Role.BUREAU_OFFICER, region_code="350200")
    with TestClient(create_app(runtime)) as client:
        assert sign_in(client, officer).status_code == 303
        token = csrf(client, "/bureau/demand")
        files = {"file": ("目录.csv", CATALOGUE, "text/csv")}
        page = client.post("/bureau/demand/import", data={"csrf_token": token, "region": "350200"}, files=files)
        assert page.status_code == 200, page.text
        assert 'id="imported"' in page.text
        assert 'id="import-report"' in page.text
        report = page.text.split('id="import-report"')[1].split("</table>")[0]
        assert "<td>3</td>" in report  # the refused row, by its row number in the file
        assert "9-99-99-99" in report
        assert "新增1条" in page.text or "1 entries added" in page.text
        listed = client.get("/bureau/demand", params={"region": "350200"})
        assert "养老护理员" in listed.text
        assert "¥1200.00" in listed.text  # 1,000 yuan with the 20% shortage uplift
        assert client.get("/bureau/demand", params={"region": "440106"}).status_code == 403


def test_an_auditor_reads_but_cannot_import(runtime: Runtime) -> None:
    auditor = make_staff(runtime, "demand.auditor", Role.AUDITOR, region_code="350200")
    with TestClient(create_app(runtime)) as client:
        assert sign_in(client, auditor).status_code == 303
        page = client.get("/bureau/demand")
        assert page.status_code == 200
        assert "import-button" not in page.text
        token = csrf(client, "/bureau/demand")
        files = {"file": ("目录.csv", CATALOGUE, "text/csv")}
        refused = client.post("/bureau/demand/import", data={"csrf_token": token}, files=files)
        assert refused.status_code == 403
