"""The fee workbooks through the real app (docs/resident-services.md §6.8): the opening-balance
template, and the arrears, bills and payments exports read back with openpyxl — figures, ageing
buckets, masked phones (the clear number nowhere in the file), the audit row — and who may:
another company, a project out of reach, a role without fee:read, bad parameters."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.archive.workbook import read_workbook
from domain.fees.commands import RecordPayment
from domain.fees.kinds import PayMethod
from domain.fees.opening_import import ImportOpening, import_opening
from domain.fees.opening_sheet import SHEETS as OPENING
from domain.fees.payments import record_payment
from tests.api._resident import _person
from tests.conftest import add_user
from tests.integration.fees_setup import add_flats, add_item, uow_of
from tests.integration.test_fee_opening_import import xlsx

PHONE = "13912345678"


def beijing_today():
    return (datetime.now(UTC) + timedelta(hours=8)).date()


def sheet_rows(content: bytes, name: str) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(content), read_only=True)[name].iter_rows(values_only=True)]


@pytest.fixture
async def fees(gql, owner_engine, org, other_org, platform):
    # Taken when the bills are made, not at import: a run that crosses Beijing midnight would
    # otherwise age the bills against yesterday.
    today = beijing_today()
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "tech1", "technician", "P1")
    flats = await add_flats(owner_engine, org, "P1", [80.0, 90.0])
    await add_item(platform, org)
    async with owner_engine.begin() as conn:
        await _person(conn, platform.cipher, org, "P1", flats[0], "王建国", PHONE)
        building = (await conn.execute(text("SELECT b.name FROM units u JOIN buildings b ON b.org_id = u.org_id "
                                            "AND b.id = u.building_id WHERE u.id = :u"), {"u": flats[0]})).scalar_one()
    # 101 owes a bill 10 days overdue and one 400 days; 102 a bill not yet due, paid in part.
    rows = [[building, None, "101", "WYF", today - timedelta(days=10), 100.5, today - timedelta(days=10)],
            [building, None, "101", "WYF", today - timedelta(days=400), 200, today - timedelta(days=400)],
            [building, None, "102", "WYF", today, 300, today + timedelta(days=5)]]
    result = await import_opening(ImportOpening(org.projects["P1"], xlsx(rows)), uow_of(platform, org))
    assert result.applied, result.problems
    await record_payment(RecordPayment(unit_id=flats[1], amount_fen=5000, method=PayMethod.WECHAT,
                                       paid_at=datetime.now(UTC)), uow_of(platform, org))
    return {"admin": await gql.login(org), "pm": await gql.login(org, "pm1"), "tech": await gql.login(org, "tech1"),
            "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"]),
            "p2": to_global_id("Project", org.projects["P2"]), "other_p1": to_global_id("Project", other_org.projects["P1"]),
            "building": building, "today": today}


async def get(client, path: str, token: str, **params):
    return await client.get(path, params=params, headers={"authorization": f"Bearer {token}"})


async def test_arrears_by_flat_and_by_bill(client, fees, owner_engine, org):
    today = fees["today"]
    r = await get(client, "/export/arrears.xlsx", fees["pm"], project=fees["p1"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    flats = sheet_rows(r.content, "欠费汇总")
    assert flats[0][:6] == ["楼栋名称", "单元", "房号", "联系人", "联系电话", "逾期欠费(元)"]
    assert flats[1:] == [[fees["building"], None, "101", "王建国", "139****5678", 300.5, 300.5,
                          datetime.combine(today - timedelta(days=400), datetime.min.time()), 100.5, 0, 0, 0, 200]]
    bills = sheet_rows(r.content, "欠费明细")
    assert [(b[2], b[5], b[10], b[11], b[12]) for b in bills[1:]] == [
        ("101", (today - timedelta(days=400)).strftime("%Y-%m"), 200, 400, "期初导入"),
        ("101", (today - timedelta(days=10)).strftime("%Y-%m"), 100.5, 10, "期初导入")]
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:  # the clear number is nowhere in the file
        assert not any(PHONE.encode() in z.read(n) for n in z.namelist())
    # As of a day before the newer bill fell due: only the old one is overdue.
    earlier = await get(client, "/export/arrears.xlsx", fees["pm"], project=fees["p1"],
                        asOf=(today - timedelta(days=20)).isoformat())
    assert [row[5] for row in sheet_rows(earlier.content, "欠费汇总")[1:]] == [200]
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT data FROM audit_log WHERE org_id = :o AND action = 'fees.exported' "
                                         "ORDER BY id"), {"o": org.org_id})).scalars().all()
    assert audit[0] == {"kind": "arrears", "rows": 3, "asOf": today.isoformat()}


async def test_bills_and_payments(client, fees):
    today = fees["today"]
    month = today.strftime("%Y-%m")
    r = await get(client, "/export/bills.xlsx", fees["admin"], project=fees["p1"], period=month)
    assert r.status_code == 200, r.text
    rows = sheet_rows(r.content, "账单")
    assert [(x[2], x[5], x[7], x[9], x[10], x[11], x[12]) for x in rows[1:]] == [
        ("102", month, 300, 50, 250, "未缴清", "期初导入")]
    paid = await get(client, "/export/payments.xlsx", fees["admin"], project=fees["p1"])
    rows = sheet_rows(paid.content, "收款")
    assert rows[0][:4] == ["收据号", "收款日期", "楼栋名称", "单元"]
    assert [(x[4], x[5], x[6], x[7], x[9]) for x in rows[1:]] == [("102", "收款", "微信", 50, "否")]
    assert rows[1][0].startswith("SJ-")
    before = await get(client, "/export/payments.xlsx", fees["admin"], project=fees["p1"], to=(today - timedelta(days=1)).isoformat(),
                       **{"from": (today - timedelta(days=30)).isoformat()})
    assert sheet_rows(before.content, "收款")[1:] == []


async def test_the_opening_template_reads_back(client, fees):
    r = await get(client, "/export/fees/opening-template.xlsx", fees["pm"])
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["说明", "期初欠费"]
    assert [c.value for c in book["期初欠费"][1]] == ["楼栋名称*", "单元", "房号*", "收费项目*", "所属期间*", "金额(元)*",
                                                      "应缴日期", "备注", "项目编码"]
    assert read_workbook(r.content, known=OPENING).report.clean  # headers only: nothing wrong
    refused = await get(client, "/export/fees/opening-template.xlsx", fees["tech"])
    assert refused.status_code == 403


@pytest.mark.parametrize("path", ["/export/arrears.xlsx", "/export/bills.xlsx", "/export/payments.xlsx"])
async def test_who_may_export(client, fees, path, owner_engine, org, other_org):
    extra = {"period": "2026-01"} if "bills" in path else {}
    for token, project in ((fees["stranger"], fees["p1"]), (fees["pm"], fees["p2"]), (fees["pm"], fees["other_p1"])):
        r = await get(client, path, token, project=project, **extra)
        assert r.status_code == 404 and r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND", (path, r.text)
    tech = await get(client, path, fees["tech"], project=fees["p1"], **extra)
    assert tech.status_code == 403
    bad = await get(client, path, fees["pm"], project="nope", **extra)
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    # The other company's admin exporting their own project sees none of this company's bills.
    theirs = await get(client, path, fees["stranger"], project=fees["other_p1"], **extra)
    assert theirs.status_code == 200
    first = openpyxl.load_workbook(io.BytesIO(theirs.content), read_only=True).worksheets[0]
    assert len(list(first.iter_rows(values_only=True))) == 1  # the header only
    async with owner_engine.connect() as conn:
        audited = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'fees.exported'"),
                                      {"o": org.org_id})).scalar_one()
    assert audited == 0  # refusals record nothing


async def test_bad_parameters(client, fees):
    for path, params in (("/export/bills.xlsx", {}), ("/export/bills.xlsx", {"period": "2026-13"}),
                         ("/export/arrears.xlsx", {"asOf": "yesterday"}),
                         ("/export/payments.xlsx", {"from": "2026-02-01", "to": "2026-01-01"}),
                         ("/export/payments.xlsx", {"from": "2024-01-01", "to": "2026-01-01"})):
        r = await get(client, path, fees["pm"], project=fees["p1"], **params)
        assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "VALIDATION", (path, params, r.text)
