"""月度小结: hand-computed figures through the real path (API → outbox → worker → rollups) on the
printed page and in the workbook, month over month; headquarters and project callers; the wall
between companies; escaping; bad parameters."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from sqlalchemy import text

from api.graphql.types.node import parse_global_id, to_global_id
from api.request_db import RequestDb
from domain.errors import DomainError, ErrorCode
from domain.kpi.monthly_summary_read import monthly_summary, parse_month
from domain.kpi.rollups import rebuild
from domain.sla.calendar import CHINA
from tenants.context import TenantScope
from domain.directory.provisioning import ProjectInput, create_project
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import run, settle
from tests.conftest import add_user

PAGE, BOOK = "/print/monthly-summary", "/export/monthly-summary.xlsx"
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_xlsx(data: bytes) -> dict[str, dict[str, object]]:
    """Sheet name → cell reference → value (text or number), read back from the file itself."""
    z = zipfile.ZipFile(BytesIO(data))
    strings = ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t"))
               for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", _NS)]
    names = [s.get("name") for s in ElementTree.fromstring(z.read("xl/workbook.xml")).find("m:sheets", _NS)]
    book = {}
    for i, name in enumerate(names, start=1):
        cells = {}
        for c in ElementTree.fromstring(z.read(f"xl/worksheets/sheet{i}.xml")).iter(f"{{{_NS['m']}}}c"):
            v = c.find("m:v", _NS)
            if v is not None:
                cells[c.get("r")] = strings[int(v.text)] if c.get("t") == "s" else float(v.text)
        book[name] = cells
    return book


async def month_of_cases(gql, desk, owner_engine, org, platform, stub_worker) -> str:
    """P1 (500 households) this month: five cases with hand-computed figures (those of
    test_org_overview); last month: one open case."""
    agent, sup, tech = desk["agent"][1], desk["sup"][1], desk["tech"][1]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE projects SET households = 500, name = :n WHERE id = :p"),
                           {"p": org.projects["P1"], "n": "<script>alert(1)</script>花园"})
        await conn.execute(text("UPDATE projects SET name = '=HYPERLINK(\"http://x\")' WHERE id = :p"), {"p": org.projects["P2"]})

    async def new(**over) -> str:
        return (await gql(REGISTER, {"i": case_input(desk, **over)}, token=agent))["data"]["registerCase"]["case"]["id"]

    async def through(c: str, satisfaction: str) -> None:
        await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", a=("ID", desk["tech"][0]))
        for m in ("acceptCase", "startCase"):
            await run(gql, tech, m, c)
        await run(gql, tech, "resolveCase", c, ", result: $r", r=("String!", "已完成"))
        await run(gql, agent, "confirmCase", c)
        await run(gql, agent, "returnVisit", c, f", satisfaction: {satisfaction}, score: 4")

    a = await new(description="业主称已联系记者，请尽快处理楼道积水")  # one risk word: an orange alert
    b, c, d, e, last = await new(), await new(kind="COMPLAINT", category="noise"), await new(), await new(), await new()
    for x in (a, b, c):
        await run(gql, agent, "commitCase", x)
    await through(a, "SATISFIED")
    due = (await gql("query($c: ID!) { case(id: $c) { commitmentDue } }", {"c": b}, token=agent))["data"]["case"]["commitmentDue"]
    later = (datetime.fromisoformat(due) + timedelta(hours=5)).isoformat()
    await run(gql, agent, "missPromise", b, ", apology: $a, reason: $r, remedy: $m, newDue: $d",
              a=("String!", "抱歉"), r=("String!", "缺件"), m=("String!", "免费"), d=("DateTime!", later))
    await through(b, "BASICALLY_SATISFIED")
    await run(gql, agent, "reportUndispatchable", c, ", reason: $r", r=("String!", "全员外出"))
    await run(gql, sup, "cancelCase", d, ", reason: $r", r=("String!", "重复登记"))
    await run(gql, agent, "requestDecline", e, ", reason: $r", r=("String!", "超出范围"))
    body = await gql("mutation($c: ID!, $r: WrittenReplyInput!) { approveDecline(caseId: $c, reply: $r) { errors { code } } }",
                     {"c": e, "r": {"reason": "不在服务范围", "basis": "合同第三条", "alternatives": ["搬家公司"]}}, token=sup)
    assert body["data"]["approveDecline"]["errors"] == []
    await settle(platform, stub_worker)
    # The last case belongs to the month before (same Beijing time of day); the rollups are rebuilt from the cases.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE cases SET received_at = ((received_at AT TIME ZONE 'Asia/Shanghai') - interval '1 month') "
                                "AT TIME ZONE 'Asia/Shanghai' WHERE org_id = :o AND id = :c"),
                           {"o": org.org_id, "c": parse_global_id(last)[1]})
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    return datetime.now(CHINA).strftime("%Y-%m")


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_the_summary_shows_hand_computed_figures_on_paper_and_in_the_workbook(
        gql, desk, owner_engine, org, platform, stub_worker, client):
    month = await month_of_cases(gql, desk, owner_engine, org, platform, stub_worker)
    admin = await gql.login(org)
    p1 = desk["project"]

    r = await client.get(PAGE, params={"month": month, "project": p1}, headers=auth(admin))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    page = r.text
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;花园" in page, "a project's name cannot run"
    assert page.count("<svg") == 3 and "<script" not in page.replace("&lt;script", "")
    rows = {m[0]: m[1:] for m in re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page)}
    assert rows["受理量 Received"] == ("5", "1", "↑4")
    assert rows["解决率 Resolution rate"] == ("66.7%", "0.0%", "↑66.7个百分点")
    assert rows["响应率 Response rate"] == ("100.0%", "—", "—"), "nothing to measure last month"
    assert rows["千户投诉率 Complaints per 1,000 households"] == ("2.00", "0.00", "↑2.00")
    assert rows["失约次数 Broken promises"] == ("1", "0", "↑1") and rows["升级次数 Escalations"] == ("1", "0", "↑1")
    assert rows["一级 L1 客服主管"] == ("1", "0", "↑1")
    # Score: 100·(25·1 + 25·⅔ + 30·1 + 10·1 + 10·½)/100 − 2·2.0 − 1·(1/5·100) = 62.67 (on time ½: b's promise was
    # broken); alone, standard 50, rank 1 of 1.
    assert "得分 Score<b>62.7</b>" in page and "排名 Rank<b>1 / 1</b>" in page and "标准分 Standard score<b>50.0</b>" in page
    assert "<tr><td>求助 Request</td><td>4</td><td>80.0%</td></tr>" in page
    assert "<tr><td>公共区域</td><td>4</td><td>2</td><td>0</td></tr>" in page
    assert "<tr><td>噪音</td><td>1</td><td>0</td><td>0</td></tr>" in page
    assert "<tr><td>橙色 Orange</td><td>1</td><td>1</td></tr>" in page

    r = await client.get(BOOK, params={"month": month}, headers=auth(admin))
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    chinese = quote(f"月度小结-{month}-全公司.xlsx")
    assert r.headers["content-disposition"] == f"attachment; filename=\"monthly-summary-{month}-company.xlsx\"; filename*=UTF-8''{chinese}"
    book = read_xlsx(r.content)
    assert list(book) == ["概览 Summary", "项目排名 Ranking", "分类 By category", "每日 Daily"]
    summary = book["概览 Summary"]
    received_row = next(k[1:] for k, v in summary.items() if v == "受理量 Received")
    resolution_row = next(k[1:] for k, v in summary.items() if v == "解决率 Resolution rate")
    assert (summary[f"B{received_row}"], summary[f"C{received_row}"], summary[f"D{received_row}"]) == (5, 1, 4)
    assert abs(summary[f"B{resolution_row}"] - 2 / 3) < 1e-9, "rates are numbers, formatted as percentages"
    ranking = book["项目排名 Ranking"]
    assert (ranking["A2"], ranking["B2"], ranking["C2"]) == (1, "P1", "<script>alert(1)</script>花园")
    assert abs(ranking["D2"] - (100 * (25 + 25 * 2 / 3 + 30 + 10 + 10 / 2) / 100 - 4 - 20)) < 1e-9 and ranking["E2"] == 50
    assert ranking["C3"] == '=HYPERLINK("http://x")', "a name that looks like a formula stays text"
    raw = zipfile.ZipFile(BytesIO(r.content))
    assert "<f>" not in raw.read("xl/worksheets/sheet2.xml").decode() and any(n.startswith("xl/charts/") for n in raw.namelist())
    today = datetime.now(CHINA).day
    daily = book["每日 Daily"]
    assert (daily[f"B{today + 1}"], daily[f"C{today + 1}"]) == (5, 2) and sum(v for k, v in daily.items() if k[0] == "B" and k != "B1") == 5
    by_category = book["分类 By category"]
    assert (by_category["A2"], by_category["C2"], by_category["D2"]) == ("公共区域", 4, 2)

    company = (await client.get(PAGE, params={"month": month}, headers=auth(admin))).text
    assert "全公司 Company" in company and "参评项目 Projects ranked<b>1 / 2</b>" in company and company.count("<svg") == 4
    assert "<tr><td>公共区域</td><td>4</td><td>2</td><td>0</td></tr>" in company, "the categories of every project, from the rollup"


async def test_project_staff_get_their_project_and_nothing_more(gql, desk, owner_engine, org, other_org, platform, stub_worker, client):
    await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
    await settle(platform, stub_worker)
    month = datetime.now(CHINA).strftime("%Y-%m")
    agent, p1, p2 = desk["agent"][1], desk["project"], to_global_id("Project", org.projects["P2"])
    mine = await client.get(PAGE, params={"month": month, "project": p1}, headers=auth(agent))
    assert mine.status_code == 200 and "<tr><td>受理量 Received</td><td>1</td>" in mine.text
    assert "标准分 Standard score<b>" not in mine.text and "由总部发布" in mine.text, "no ranking among projects they cannot see"
    for path in (PAGE, BOOK):
        company = await client.get(path, params={"month": month}, headers=auth(agent))
        assert company.status_code == 403 and company.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        other = await client.get(path, params={"month": month, "project": p2}, headers=auth(agent))
        assert other.status_code == 404 and other.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await client.get(BOOK, params={"month": month, "project": p1}, headers=auth(agent))).status_code == 200

    outsider = await gql.login(other_org)
    for path in (PAGE, BOOK):
        theirs = await client.get(path, params={"month": month, "project": p1}, headers=auth(outsider))
        assert theirs.status_code == 404 and "项目1" not in theirs.text
    own = await client.get(PAGE, params={"month": month}, headers=auth(outsider))
    assert own.status_code == 200 and "<tr><td>受理量 Received</td><td>0</td>" in own.text

    await add_user(owner_engine, org, "reader", "hq_supervisor", None)
    hq = await client.get(BOOK, params={"month": month}, headers=auth(await gql.login(org, "reader")))
    assert hq.status_code == 200 and read_xlsx(hq.content)["概览 Summary"]["B7"] == 1


async def test_bad_parameters_and_missing_credentials_get_coded_errors(gql, org, client):
    admin = await gql.login(org)
    user_id = to_global_id("User", org.admin_id)
    months = ("2026-13", "abc", "1999-05", "2101-01", "2026-1", "２０２６-11", "0000-01", "9999-12", "2026-00", "2026-11" * 2000)
    for params in (*({"month": m} for m in months), {"project": "not-an-id"}, {"project": user_id}, {"project": ""}):
        for path in (PAGE, BOOK):
            r = await client.get(path, params=params, headers=auth(admin))
            assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "VALIDATION", (params, r.text)
    for path in (PAGE, BOOK):
        r = await client.get(path)
        assert r.status_code == 401 and r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await client.get(path, headers={"authorization": "Basic x"})).status_code == 401
    default = await client.get(PAGE, headers=auth(admin))
    assert default.status_code == 200 and f"{parse_month(None):%Y年%m月}" in default.text


def test_a_month_outside_the_calendar_or_the_range_is_a_validation_error():
    bad = ("0000-01", "0001-01", "9999-12", "1999-12", "2000-01", "2100-02", "2026-00", "2026-13", "2026-99", "2026-1", "26-11",
           "２０２６-11", "2026-１１", "٢٠٢٦-11", "2026-11\n", " 2026-11", "2026/11", "2026-11-01", "", "-001-01",
           "2026-11" * 100_000, "9" * 100_000)
    for value in bad:
        with pytest.raises(DomainError) as e:
            parse_month(value)
        assert (e.value.code, e.value.field) == (ErrorCode.VALIDATION, "month"), value[:20]
    assert [parse_month(v).isoformat() for v in ("2000-02", "2026-11", "2100-01")] == ["2000-02-01", "2026-11-01", "2100-01-01"]


def test_the_default_month_is_the_last_complete_beijing_month():
    assert parse_month(None, datetime(2026, 12, 1, 0, 30, tzinfo=CHINA)).isoformat() == "2026-11-01"
    assert parse_month(None, datetime(2026, 1, 15, 12, tzinfo=CHINA)).isoformat() == "2025-12-01"
    # 23:30 UTC on 31 December is already 1 January in Beijing.
    assert parse_month(None, datetime.fromisoformat("2026-12-31T23:30:00+00:00")).isoformat() == "2026-12-01"


async def test_statements_do_not_grow_with_projects(owner_engine, org, platform):
    async def statements(project) -> tuple[int, int]:
        db = RequestDb(platform, TenantScope(org.org_id, None, "test"))
        try:
            summary = await monthly_summary(db, parse_month("2026-11"), project, True, staff=project is not None)
        finally:
            await db.close()
        assert len(summary.daily) == 30 and summary.ranked == 0
        return db.statements, len(summary.ranking)

    few = [await statements(p) for p in (None, org.projects["P1"])]
    async with owner_engine.begin() as conn:
        for i in range(30):
            await create_project(conn, org.org_id, "system:test", ProjectInput(f"X{i}", f"项目X{i}", "residential"))
    many = [await statements(p) for p in (None, org.projects["P1"])]
    assert [n for n, _ in few] == [n for n, _ in many] and max(n for n, _ in many) <= 15
    assert [r for _, r in few] == [2, 0] and [r for _, r in many] == [32, 0]


async def test_integrator_keys_read_summaries_within_their_scope(gql, org, client):
    admin = await gql.login(org)
    create = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code } } }"
    whole = (await gql(create, {"i": {"name": "BI 全公司"}}, token=admin))["data"]["createApiKey"]["secret"]
    p1 = to_global_id("Project", org.projects["P1"])
    scoped = (await gql(create, {"i": {"name": "BI P1", "projectIds": [p1]}}, token=admin))["data"]["createApiKey"]["secret"]
    assert (await client.get(BOOK, params={"month": "2026-11"}, headers={"x-api-key": whole})).status_code == 200
    assert (await client.get(PAGE, params={"month": "2026-11"}, headers={"x-api-key": scoped})).status_code == 403
    assert (await client.get(PAGE, params={"month": "2026-11", "project": p1}, headers={"x-api-key": scoped})).status_code == 200
    p2 = to_global_id("Project", org.projects["P2"])
    assert (await client.get(PAGE, params={"month": "2026-11", "project": p2}, headers={"x-api-key": scoped})).status_code == 404
    bad = await client.get(PAGE, params={"month": "2026-11"}, headers={"x-api-key": "fc_nothing.here"})
    assert bad.status_code == 401 and bad.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
