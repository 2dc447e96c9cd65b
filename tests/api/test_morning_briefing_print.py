"""早会简报 and 隐患台账 off the page (docs/centre-day.md §2.2, §4): the briefing's missed patrols,
hazards past their deadline and today's notices — each the project's own, on its day — through
GraphQL, on the printed page and in the register's workbook; a caller of another project or
another company prints and exports nothing of ours, and the company's register is headquarters'."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta, timezone

import openpyxl
import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user

BEIJING = timezone(timedelta(hours=8))
BRIEFING = """query($p: ID!, $d: Date!) { morningBriefing(projectId: $p, date: $d) {
  missedPatrolCount missedPatrols { state route { name } }
  overdueHazardCount overdueHazards { number title overdue }
  noticeTodayCount noticesToday { title state } } }"""
# What P1 should show for the day, and what it must not.
SHOWN = ("地库消防巡查", "夜间安防巡逻", "YH-P1-01", "消防栓缺水", "YH-P1-02", "楼道堆物", "今日停水通知")
HIDDEN = ("白天绿化巡查", "已完成巡查", "前天漏巡", "二期巡查", "电梯异响", "井盖松动", "二期配电箱", "昨日通知", "撤回的通知",
          "草稿通知", "明日排期通知", "二期通知")


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), BEIJING)


@pytest.fixture
async def day_data(gql, desk, owner_engine, org, other_org):
    """Yesterday (Beijing) as the briefing's day, so that each window it looks at is over."""
    day = datetime.now(BEIJING).date() - timedelta(days=1)
    pm1 = await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm2 = await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    sup = (await _user(owner_engine, org, "sup"))
    now = datetime.now(UTC)
    ids = {"o": org.org_id, "p1": org.projects["P1"], "p2": org.projects["P2"], "sup": sup, "pm1": pm1, "pm2": pm2}
    runs = (  # route, project, due until, state
        ("地库消防巡查", "p1", at(day - timedelta(days=1), 10), "missed"),
        ("夜间安防巡逻", "p1", at(day, 2), "scheduled"),  # overnight, past its window, not yet swept
        ("白天绿化巡查", "p1", at(day, 9), "scheduled"),  # after the night: not the briefing's
        ("已完成巡查", "p1", at(day - timedelta(days=1), 15), "done"),
        ("前天漏巡", "p1", at(day - timedelta(days=2), 10), "missed"),
        ("二期巡查", "p2", at(day - timedelta(days=1), 10), "missed"),
    )
    hazards = (  # number, project, title, state, owner, deadline
        ("YH-P1-01", "p1", "消防栓缺水", "rectifying", "sup", now - timedelta(days=2)),
        ("YH-P1-02", "p1", "楼道堆物", "open", None, now - timedelta(hours=1)),
        ("YH-P1-03", "p1", "电梯异响", "verified", "sup", now - timedelta(days=3)),
        ("YH-P1-04", "p1", "井盖松动", "rectifying", "sup", now + timedelta(days=3)),
        ("YH-P2-01", "p2", "二期配电箱", "rectifying", "pm2", now - timedelta(days=1)),
    )
    notices = (  # title, project, state, publish_at, published_at
        ("今日停水通知", "p1", "published", None, at(day, 9)),
        ("昨日通知", "p1", "published", None, at(day - timedelta(days=1), 9)),
        ("撤回的通知", "p1", "withdrawn", None, at(day, 10)),
        ("草稿通知", "p1", "draft", at(day, 11), None),
        ("明日排期通知", "p1", "scheduled", at(day + timedelta(days=1), 10), None),
        ("二期通知", "p2", "published", None, at(day, 9)),
    )
    async with owner_engine.begin() as conn:
        for name, p, until, state in runs:
            route = (await conn.execute(text(
                "INSERT INTO patrol_routes (org_id, project_id, name, kind, created_by) VALUES (:o, :p, :n, 'safety', 'user:x') "
                "RETURNING id"), {**ids, "p": ids[p], "n": name})).scalar_one()
            plan = (await conn.execute(text(
                "INSERT INTO patrol_plans (org_id, project_id, route_id, assignee_user_id, cadence, window_start, window_minutes, "
                "starts_on, created_by) VALUES (:o, :p, :r, :u, 'daily', '08:00', 120, :d, 'user:x') RETURNING id"),
                {**ids, "p": ids[p], "r": route, "u": ids["sup"] if p == "p1" else ids["pm2"], "d": day})).scalar_one()
            await conn.execute(text(
                "INSERT INTO patrol_runs (org_id, project_id, plan_id, route_id, due_from, due_until, state, points_total, "
                "points_done) VALUES (:o, :p, :plan, :r, :f, :u, :s, 5, 2)"),
                {**ids, "p": ids[p], "plan": plan, "r": route, "f": until - timedelta(hours=2), "u": until, "s": state})
        for number, p, title, state, owner, deadline in hazards:
            await conn.execute(text(
                "INSERT INTO hazards (org_id, project_id, number, source, title, category, grade, place, owner_user_id, deadline, "
                "  state, rectification_note, verified_by, verified_at, reported_by) "
                "VALUES (:o, :p, :n, 'report', :t, 'fire', 'significant', '3号楼', :u, :dl, :s, :note, :vb, :va, 'user:x')"),
                {**ids, "p": ids[p], "n": number, "t": title, "u": ids[owner] if owner else None, "dl": deadline, "s": state,
                 "note": "已更换" if state == "verified" else None, "vb": f"user:{pm1}" if state == "verified" else None,
                 "va": now if state == "verified" else None})
        for title, p, state, publish_at, published_at in notices:
            await conn.execute(text(
                "INSERT INTO notices (org_id, project_id, title, body, kind, audience, state, publish_at, published_at, author) "
                "VALUES (:o, :p, :t, '正文', 'general', 'project', :s, :pa, :pd, 'user:x')"),
                {**ids, "p": ids[p], "t": title, "s": state, "pa": publish_at, "pd": published_at})
    return {**desk, "day": day, "p2": to_global_id("Project", org.projects["P2"]), "admin": await gql.login(org),
            "pm1": await gql.login(org, "pm1"), "pm2": await gql.login(org, "pm2"), "stranger": await gql.login(other_org)}


async def _user(owner_engine, org, username):
    async with owner_engine.begin() as conn:
        return (await conn.execute(text("SELECT id FROM users WHERE org_id = :o AND username = :u"),
                                   {"o": org.org_id, "u": username})).scalar_one()


def auth(token: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"} if token else {}


def code_of(r) -> str:
    return r.json()["errors"][0]["extensions"]["code"]


async def test_the_briefing_names_missed_patrols_overdue_hazards_and_todays_notices(gql, day_data):
    c, day = day_data, day_data["day"]
    b = (await gql(BRIEFING, {"p": c["project"], "d": day.isoformat()}, token=c["sup"][1]))["data"]["morningBriefing"]
    assert (b["missedPatrolCount"], b["missedPatrols"]) == (2, [
        {"state": "MISSED", "route": {"name": "地库消防巡查"}}, {"state": "SCHEDULED", "route": {"name": "夜间安防巡逻"}}])
    assert (b["overdueHazardCount"], b["overdueHazards"]) == (2, [
        {"number": "YH-P1-01", "title": "消防栓缺水", "overdue": True}, {"number": "YH-P1-02", "title": "楼道堆物", "overdue": True}])
    assert (b["noticeTodayCount"], b["noticesToday"]) == (1, [{"title": "今日停水通知", "state": "PUBLISHED"}])
    # The next day's briefing has the notice scheduled for it, and none of the patrols missed before yesterday.
    nxt = (await gql(BRIEFING, {"p": c["project"], "d": (day + timedelta(days=1)).isoformat()}, token=c["sup"][1]))
    nxt = nxt["data"]["morningBriefing"]
    assert [n["title"] for n in nxt["noticesToday"]] == ["明日排期通知"]
    assert [r["route"]["name"] for r in nxt["missedPatrols"]] == ["夜间安防巡逻", "白天绿化巡查"]
    # P2's briefing holds P2's only.
    b2 = (await gql(BRIEFING, {"p": c["p2"], "d": day.isoformat()}, token=c["pm2"]))["data"]["morningBriefing"]
    assert ([r["route"]["name"] for r in b2["missedPatrols"]], [h["title"] for h in b2["overdueHazards"]],
            [n["title"] for n in b2["noticesToday"]]) == (["二期巡查"], ["二期配电箱"], ["二期通知"])


async def test_the_briefing_prints_for_its_project_only(client, day_data):
    c, day = day_data, day_data["day"].isoformat()
    path = "/print/morning-briefing"
    page = await client.get(path, params={"project": c["project"], "date": day}, headers=auth(c["sup"][1]))
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html") and "default-src 'none'" in page.headers["content-security-policy"]
    html = page.text
    assert "早会简报" in html and "项目1" in html
    for shown in SHOWN:
        assert shown in html, shown
    for hidden in HIDDEN:
        assert hidden not in html, hidden
    assert "<td>2/5</td>" in html and html.count("<td>sup</td>") == 3  # points walked; walker of two runs, owner of a hazard
    # Today by default.
    assert (await client.get(path, params={"project": c["project"]}, headers=auth(c["sup"][1]))).status_code == 200

    # Another project's manager, another company's: one 404; no credentials 401; bad input 400.
    for token in (c["pm2"], c["stranger"]):
        r = await client.get(path, params={"project": c["project"], "date": day}, headers=auth(token))
        assert (r.status_code, code_of(r)) == (404, "NOT_FOUND"), r.text
    r = await client.get(path, params={"project": c["project"], "date": day})
    assert (r.status_code, code_of(r)) == (401, "UNAUTHENTICATED")
    for params in ({"project": c["project"], "date": "7.12.2026"}, {"date": day}, {"project": "nope"}):
        r = await client.get(path, params=params, headers=auth(c["sup"][1]))
        assert (r.status_code, code_of(r)) == (400, "VALIDATION"), params
    # P2's manager prints P2's briefing, with none of P1's.
    own = await client.get(path, params={"project": c["p2"], "date": day}, headers=auth(c["pm2"]))
    assert own.status_code == 200 and "二期巡查" in own.text and "二期配电箱" in own.text and "消防栓缺水" not in own.text


def sheet_rows(r) -> tuple[list[str], list[dict[str, object]]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)["隐患台账"]
    lines = [list(x) for x in ws.iter_rows(values_only=True)]
    headers = [str(h) for h in lines[0]]
    return headers, [dict(zip(headers, line, strict=True)) for line in lines[1:]]


async def test_the_hazard_register_exports_to_whoever_reads_the_project(client, day_data, owner_engine, org):
    c, path = day_data, "/export/hazards.xlsx"
    r = await client.get(path, params={"project": c["project"]}, headers=auth(c["sup"][1]))
    headers, rows = sheet_rows(r)
    assert "attachment" in r.headers["content-disposition"] and "P1" in r.headers["content-disposition"]
    assert headers[:4] == ["项目编码", "项目", "隐患编号", "等级"]
    assert {"隐患", "位置", "责任人", "整改期限", "状态", "整改情况", "验证人", "验证时间"} <= set(headers)
    assert [x["隐患编号"] for x in rows] == ["YH-P1-01", "YH-P1-02", "YH-P1-03", "YH-P1-04"]
    first, _, verified, later = rows
    assert (first["等级"], first["隐患"], first["位置"], first["责任人"], first["状态"], first["逾期"]) == (
        "较大", "消防栓缺水", "3号楼", "sup", "整改中", "是")
    assert (verified["状态"], verified["整改情况"], verified["验证人"], verified["逾期"]) == ("已验证", "已更换", "pm1", "否")
    assert verified["验证时间"] and later["逾期"] == "否" and later["验证人"] is None
    async with owner_engine.begin() as conn:
        audited = (await conn.execute(text("SELECT data FROM audit_log WHERE org_id = :o AND action = 'hazards.exported'"),
                                      {"o": org.org_id})).scalars().all()
    assert audited == [{"rows": 4, "scope": "project"}]

    # Headquarters: the company's register, or one project's.
    _, everything = sheet_rows(await client.get(path, headers=auth(c["admin"])))
    assert [x["隐患编号"] for x in everything] == ["YH-P1-01", "YH-P1-02", "YH-P1-03", "YH-P1-04", "YH-P2-01"]
    _, p2 = sheet_rows(await client.get(path, params={"project": c["p2"]}, headers=auth(c["admin"])))
    assert [(x["项目编码"], x["隐患编号"]) for x in p2] == [("P2", "YH-P2-01")]

    # Another project's manager: P1's is not there for them, the company's is not theirs, their own is.
    r = await client.get(path, params={"project": c["project"]}, headers=auth(c["pm2"]))
    assert (r.status_code, code_of(r)) == (404, "NOT_FOUND")
    r = await client.get(path, headers=auth(c["pm2"]))
    assert (r.status_code, code_of(r)) == (403, "FORBIDDEN")
    _, own = sheet_rows(await client.get(path, params={"project": c["p2"]}, headers=auth(c["pm2"])))
    assert [x["隐患编号"] for x in own] == ["YH-P2-01"]
    # Another company: our project is NOT_FOUND, their company's register holds none of ours.
    r = await client.get(path, params={"project": c["project"]}, headers=auth(c["stranger"]))
    assert (r.status_code, code_of(r)) == (404, "NOT_FOUND")
    _, theirs = sheet_rows(await client.get(path, headers=auth(c["stranger"])))
    assert theirs == []
    r = await client.get(path, params={"project": c["project"]})
    assert (r.status_code, code_of(r)) == (401, "UNAUTHENTICATED")
    r = await client.get(path, params={"project": "nope"}, headers=auth(c["sup"][1]))
    assert (r.status_code, code_of(r)) == (400, "VALIDATION")
