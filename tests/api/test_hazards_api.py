"""隐患台账 through the API (docs/centre-day.md §2.2): a hazard reported from a patrol visit of the
same project, numbered per project and day, assigned, rectified by its owner and verified by
someone else — the owner may not — or failed with a new deadline; a major one raises a red alert
at once; past its deadline it climbs the item ladder and stops when rectified. Another company's
and another project's ids are NOT_FOUND."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import asyncio

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from domain.hazards import reads as hazard_reads
from domain.patrols.rules import new_token
from tests.api.conftest import read_as
from tests.conftest import add_unit, add_user
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all
from workers.sla_scanner import fire_items_due

FIELDS = ("hazard { id number source sourceId title category grade gradeLabel state stateLabel deadline overdue place "
          "buildingId unitId failedCount verifyNote acceptedReason rectificationNote owner { username } "
          "verifier { displayName } escalations { level recipientCount } } errors { code field message }")
REPORT = f"mutation($i: ReportHazardInput!, $k: String) {{ reportHazard(input: $i, idempotencyKey: $k) {{ {FIELDS} }} }}"
ASSIGN = f"""mutation($h: ID!, $u: ID!, $d: DateTime) {{ assignHazard(hazardId: $h, ownerId: $u, deadline: $d) {{ {FIELDS} }} }}"""
RECTIFY = f"""mutation($h: ID!, $n: String!, $f: [String!]) {{
  recordHazardRectification(hazardId: $h, note: $n, photos: $f) {{ {FIELDS} }} }}"""
VERIFY = f"""mutation($h: ID!, $ok: Boolean!, $n: String, $d: DateTime) {{
  verifyHazard(hazardId: $h, passed: $ok, note: $n, newDeadline: $d) {{ {FIELDS} }} }}"""
ACCEPT = f"mutation($h: ID!, $r: String!) {{ acceptHazardRisk(hazardId: $h, reason: $r) {{ {FIELDS} }} }}"
LIST = """query($p: ID!, $f: HazardFilter) { hazards(projectId: $p, filter: $f) { totalCount edges { node { id number state } } } }"""
NODE = "query($h: ID!) { node(id: $h) { ... on Hazard { id number } } }"
RAISE = """mutation($i: RaiseImprovementActionInput!) { raiseImprovementAction(input: $i) {
  action { source sourceId } errors { code field } } }"""


def later(**kw) -> str:
    return (datetime.now(UTC) + timedelta(**kw)).isoformat()


async def patrol_visit(conn, org, project: str) -> object:
    """A route with one point, a run of it and an issue found at the point."""
    ids = {"o": org.org_id, "p": org.projects[project], "u": org.admin_id, "tok": new_token()}
    ids["r"] = (await conn.execute(text("INSERT INTO patrol_routes (org_id, project_id, name, kind, created_by) "
                                        "VALUES (:o, :p, '消防巡查', 'safety', 'user:x') RETURNING id"), ids)).scalar()
    ids["pt"] = (await conn.execute(text("INSERT INTO patrol_points (org_id, project_id, route_id, position, name, token) "
                                         "VALUES (:o, :p, :r, 1, '消防泵房', :tok) RETURNING id"), ids)).scalar()
    ids["pl"] = (await conn.execute(text(
        "INSERT INTO patrol_plans (org_id, project_id, route_id, assignee_user_id, cadence, window_start, window_minutes, "
        "starts_on, created_by) VALUES (:o, :p, :r, :u, 'daily', '09:00', 60, current_date, 'user:x') RETURNING id"), ids)).scalar()
    ids["run"] = (await conn.execute(text(
        "INSERT INTO patrol_runs (org_id, project_id, plan_id, route_id, due_from, due_until, points_total) "
        "VALUES (:o, :p, :pl, :r, now(), now() + interval '1 hour', 1) RETURNING id"), ids)).scalar()
    return (await conn.execute(text("INSERT INTO patrol_visits (org_id, project_id, run_id, point_id, at, scanned, result, by) "
                                    "VALUES (:o, :p, :run, :pt, now(), true, 'issue', 'user:x') RETURNING id"), ids)).scalar()


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    users = {}
    for name, role, project in (("hq", "hq_quality", None), ("pm1", "project_manager", "P1"), ("sup1", "cs_supervisor", "P1"),
                                ("disp1", "dispatcher", "P1"), ("tech1", "technician", "P1"), ("pm2", "project_manager", "P2")):
        users[name] = await add_user(owner_engine, org, name, role, project)
    async with owner_engine.begin() as conn:
        v1, v2 = await patrol_visit(conn, org, "P1"), await patrol_visit(conn, org, "P2")
    unit, building = await add_unit(owner_engine, org, "P1")
    return {n: await gql.login(org, n) for n in users} | {
        "ids": users, "stranger": await gql.login(other_org), "v1": to_global_id("PatrolVisit", v1),
        "v2": to_global_id("PatrolVisit", v2), "unit": to_global_id("Unit", unit), "building": to_global_id("Building", building),
        "p1": to_global_id("Project", org.projects["P1"]), "p2": to_global_id("Project", org.projects["P2"])}


def hazard_input(desk, **kw):
    return {"projectId": desk["p1"], "source": "PATROL", "sourceId": desk["v1"], "title": "消防泵房门锁损坏",
            "category": "FIRE", "grade": "GENERAL", "unitId": desk["unit"], "place": "地下车库B2消防泵房",
            "photos": ["https://files.example.com/a.jpg"]} | kw


def ok(reply, name):
    assert "errors" not in reply, reply
    assert reply["data"][name]["errors"] == [], reply
    return reply["data"][name]["hazard"]


def refused(reply, name):
    assert "errors" not in reply, reply
    return reply["data"][name]["errors"][0]


def uid(desk, name):
    return to_global_id("User", desk["ids"][name])


async def timers(owner_engine, hazard_gid) -> list[tuple[str, bool]]:
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT level, fired_at IS NOT NULL FROM item_timers WHERE subject_kind = 'hazard' "
                                        "AND subject_id = :h ORDER BY due_at"), {"h": from_global_id(hazard_gid, "Hazard")})).all()
    return [tuple(r) for r in rows]


async def test_report_assign_rectify_fail_and_verify_by_another(gql, desk, owner_engine):
    h = ok(await gql(REPORT, {"i": hazard_input(desk), "k": "h1"}, token=desk["tech1"]), "reportHazard")
    day = datetime.now(UTC).astimezone(timezone(timedelta(hours=8))).strftime("%Y%m%d")
    assert (h["number"], h["state"], h["source"], h["sourceId"], h["owner"]) == (f"YH-P1-{day}-01", "OPEN", "PATROL", desk["v1"], None)
    assert h["buildingId"] == desk["building"] and h["gradeLabel"] == "一般"  # the flat gives its building
    deadline = datetime.fromisoformat(h["deadline"])
    assert timedelta(days=6, hours=23) < deadline - datetime.now(UTC) <= timedelta(days=7)
    assert ok(await gql(REPORT, {"i": hazard_input(desk), "k": "h1"}, token=desk["tech1"]), "reportHazard")["id"] == h["id"]
    second = ok(await gql(REPORT, {"i": hazard_input(desk, source="REPORT", sourceId=None)}, token=desk["sup1"]), "reportHazard")
    assert second["number"] == f"YH-P1-{day}-02"
    assert await timers(owner_engine, h["id"]) == [("remind", False), ("l1", False), ("l2", False), ("l3", False)]

    a = ok(await gql(ASSIGN, {"h": h["id"], "u": uid(desk, "sup1"), "d": later(days=2)}, token=desk["disp1"]), "assignHazard")
    assert (a["state"], a["owner"]["username"]) == ("RECTIFYING", "sup1")
    e = refused(await gql(RECTIFY, {"h": h["id"], "n": "已更换"}, token=desk["tech1"]), "recordHazardRectification")
    assert e["code"] == "FORBIDDEN"  # neither the owner nor a hazard manager
    r = ok(await gql(RECTIFY, {"h": h["id"], "n": "更换门锁", "f": ["https://files.example.com/b.jpg"]}, token=desk["sup1"]),
           "recordHazardRectification")
    assert r["state"] == "RECTIFIED" and await timers(owner_engine, h["id"]) == []
    # The owner holds hazard:verify here, and still may not pass their own work.
    e = refused(await gql(VERIFY, {"h": h["id"], "ok": True}, token=desk["sup1"]), "verifyHazard")
    assert (e["code"], e["field"]) == ("FORBIDDEN", "hazardId")
    e = refused(await gql(VERIFY, {"h": h["id"], "ok": False, "n": "锁芯未换"}, token=desk["pm1"]), "verifyHazard")
    assert (e["code"], e["field"]) == ("VALIDATION", "newDeadline")
    f = ok(await gql(VERIFY, {"h": h["id"], "ok": False, "n": "锁芯未换", "d": later(days=1)}, token=desk["pm1"]), "verifyHazard")
    assert (f["state"], f["failedCount"], f["verifyNote"]) == ("RECTIFYING", 1, "锁芯未换")
    assert len(await timers(owner_engine, h["id"])) == 4  # the ladder again, from the new deadline
    ok(await gql(RECTIFY, {"h": h["id"], "n": "锁芯已换"}, token=desk["sup1"]), "recordHazardRectification")
    v = ok(await gql(VERIFY, {"h": h["id"], "ok": True, "n": "复查合格"}, token=desk["hq"]), "verifyHazard")
    assert (v["state"], v["verifier"]["displayName"]) == ("VERIFIED", "hq")
    e = refused(await gql(ACCEPT, {"h": h["id"], "r": "x"}, token=desk["pm1"]), "acceptHazardRisk")
    assert e["code"] == "INVALID_STATE"

    listed = (await gql(LIST, {"p": desk["p1"], "f": {"state": "VERIFIED"}}, token=desk["tech1"]))["data"]["hazards"]
    assert [n["node"]["id"] for n in listed["edges"]] == [h["id"]]
    for f, ids in (({"source": "REPORT"}, [second["id"]]), ({"category": "GAS"}, []),
                   ({"buildingId": desk["building"], "source": "PATROL"}, [h["id"]])):
        listed = (await gql(LIST, {"p": desk["p1"], "f": f}, token=desk["tech1"]))["data"]["hazards"]
        assert [n["node"]["id"] for n in listed["edges"]] == ids, f
    # A corrective action may now come from a hazard of its project.
    act = await gql(RAISE, {"i": {"projectId": desk["p1"], "source": "HAZARD", "sourceId": h["id"], "title": "消防门锁排查",
                                  "ownerId": uid(desk, "sup1"), "dueOn": later(days=3)[:10]}}, token=desk["pm1"])
    assert act["data"]["raiseImprovementAction"] == {"action": {"source": "HAZARD", "sourceId": h["id"]}, "errors": []}


async def test_a_major_hazard_raises_a_red_alert_and_its_risk_may_be_accepted(gql, desk, owner_engine, org):
    h = ok(await gql(REPORT, {"i": hazard_input(desk, grade="MAJOR", category="GAS", title="燃气管道泄漏")}, token=desk["tech1"]),
           "reportHazard")
    assert timedelta(hours=23) < datetime.fromisoformat(h["deadline"]) - datetime.now(UTC) <= timedelta(hours=24)
    hazard_id = from_global_id(h["id"], "Hazard")
    async with owner_engine.connect() as conn:
        alert = (await conn.execute(text("SELECT rule, colour, title, project_id FROM alerts WHERE scope_key = :s"),
                                    {"s": f"hazard:{hazard_id}"})).one()
        topic = (await conn.execute(text("SELECT count(*) FROM outbox WHERE topic = 'alert.raised' AND org_id = :o"),
                                    {"o": org.org_id})).scalar_one()
    assert (alert.rule, alert.colour, alert.project_id) == ("hazard", "red", org.projects["P1"])
    assert alert.title.startswith("重大隐患：YH-P1-") and topic == 1
    e = refused(await gql(ACCEPT, {"h": h["id"], "r": " "}, token=desk["pm1"]), "acceptHazardRisk")
    assert (e["code"], e["field"]) == ("VALIDATION", "reason")
    a = ok(await gql(ACCEPT, {"h": h["id"], "r": "停气待燃气公司更换"}, token=desk["pm1"]), "acceptHazardRisk")
    assert (a["state"], a["acceptedReason"]) == ("ACCEPTED", "停气待燃气公司更换")
    assert await timers(owner_engine, h["id"]) == []


async def test_bad_input_gets_a_coded_error_and_writes_nothing(gql, desk, owner_engine, org):
    for kw, field, code in (({"sourceId": desk["v2"]}, "sourceId", "NOT_FOUND"),  # P2's visit
                            ({"source": "REPORT"}, "sourceId", "VALIDATION"),
                            ({"source": "SWEEP", "sourceId": None}, "source", "VALIDATION"),
                            ({"title": " "}, "title", "VALIDATION"),
                            ({"photos": ["http://x/a.jpg"]}, "photos", "VALIDATION"),
                            ({"unitId": None, "buildingId": to_global_id("Building", org.projects["P2"])}, "buildingId",
                             "NOT_FOUND")):
        e = refused(await gql(REPORT, {"i": hazard_input(desk, **kw)}, token=desk["sup1"]), "reportHazard")
        assert (e["field"], e["code"]) == (field, code), (kw, e)
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM hazards WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == 0
    h = ok(await gql(REPORT, {"i": hazard_input(desk)}, token=desk["sup1"]), "reportHazard")
    e = refused(await gql(ASSIGN, {"h": h["id"], "u": uid(desk, "pm2")}, token=desk["pm1"]), "assignHazard")
    assert (e["code"], e["field"]) == ("VALIDATION", "ownerId")  # P2's manager works elsewhere
    e = refused(await gql(ASSIGN, {"h": h["id"], "u": uid(desk, "sup1"), "d": later(hours=-1)}, token=desk["pm1"]), "assignHazard")
    assert (e["code"], e["field"]) == ("VALIDATION", "deadline")
    e = refused(await gql(RECTIFY, {"h": h["id"], "n": "已处理"}, token=desk["pm1"]), "recordHazardRectification")
    assert e["code"] == "INVALID_STATE"  # nobody owns it yet


async def test_another_company_and_another_project_see_and_change_nothing(gql, desk, owner_engine, org):
    h = ok(await gql(REPORT, {"i": hazard_input(desk)}, token=desk["sup1"]), "reportHazard")
    ok(await gql(ASSIGN, {"h": h["id"], "u": uid(desk, "sup1")}, token=desk["pm1"]), "assignHazard")
    for token in (desk["stranger"], desk["pm2"]):
        assert (await gql(NODE, {"h": h["id"]}, token=token))["data"]["node"] is None
        r = await gql(LIST, {"p": desk["p1"]}, token=token)
        assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert refused(await gql(REPORT, {"i": hazard_input(desk)}, token=token), "reportHazard")["code"] == "NOT_FOUND"
        for q, v, name in ((ASSIGN, {"u": uid(desk, "sup1")}, "assignHazard"),
                           (RECTIFY, {"n": "x"}, "recordHazardRectification"),
                           (VERIFY, {"ok": True}, "verifyHazard"), (ACCEPT, {"r": "x"}, "acceptHazardRisk")):
            assert refused(await gql(q, {"h": h["id"]} | v, token=token), name)["code"] == "NOT_FOUND", (name, token)
    assert (await gql(LIST, {"p": desk["p2"]}, token=desk["pm2"]))["data"]["hazards"]["totalCount"] == 0
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT state, owner_user_id, (SELECT count(*) FROM hazards x WHERE x.org_id = :o) AS n "
                                       "FROM hazards WHERE id = :h"), {"o": org.org_id, "h": from_global_id(h["id"], "Hazard")})).one()
    assert tuple(row) == ("rectifying", desk["ids"]["sup1"], 1)


async def test_an_overdue_hazard_climbs_the_ladder_and_stops_when_rectified(gql, desk, owner_engine, platform, stub_worker,
                                                                            org, other_org):
    h = ok(await gql(REPORT, {"i": hazard_input(desk)}, token=desk["tech1"]), "reportHazard")
    ok(await gql(ASSIGN, {"h": h["id"], "u": uid(desk, "disp1")}, token=desk["pm1"]), "assignHazard")
    hazard_id = from_global_id(h["id"], "Hazard")
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE hazards SET deadline = now() - interval '1 minute' WHERE id = :h"), {"h": hazard_id})
        await conn.execute(text("UPDATE item_timers SET due_at = now() - interval '1 second' "
                                "WHERE subject_id = :h AND level IN ('remind', 'l1')"), {"h": hazard_id})
    await fire_items_due(platform)
    await fire_items_due(platform)  # a second scan fires nothing again
    async with owner_engine.connect() as conn:
        fired = (await conn.execute(text("SELECT level, cardinality(recipients) FROM item_escalations WHERE subject_id = :h "
                                         "ORDER BY level"), {"h": hazard_id})).all()
        announced = (await conn.execute(text("SELECT count(*) FROM outbox WHERE topic = 'item.escalated' "
                                             "AND payload->>'id' = :h AND payload->>'kind' = 'hazard'"),
                                        {"h": str(hazard_id)})).scalar_one()
    assert [tuple(f) for f in fired] == [("l1", 1), ("remind", 1)] and announced == 2  # disp1; P1's one CS supervisor

    async def reads(db):
        page = await hazard_reads.hazard_page(db, org.projects["P1"], state=None, grade=None, overdue=True, after=None, limit=10)
        return ([r.id for r in page], await hazard_reads.hazard(db, hazard_id),
                sorted(e.level for e in await hazard_reads.escalations(db, hazard_id)))

    page, one, levels = await read_as(platform, org, reads)
    assert page == [hazard_id] and (one.id, one.overdue) == (hazard_id, True) and levels == ["l1", "remind"]
    assert await read_as(platform, other_org, reads) == ([], None, [])  # another company, the same ids: nothing
    assert await relay_all(platform, stub_worker) >= 1
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)
    inbox = "{ notifications(unreadOnly: true) { items { title } } }"
    titles = sorted(i["title"] for i in (await gql(inbox, token=desk["disp1"]))["data"]["notifications"]["items"])
    assert titles == ["提醒：隐患逾期未整改", "新的隐患整改"]  # the owner; L1 reached sup1
    titles = [i["title"] for i in (await gql(inbox, token=desk["sup1"]))["data"]["notifications"]["items"]]
    assert titles == ["一级升级 L1：隐患逾期未整改"]
    overdue = (await gql(LIST, {"p": desk["p1"], "f": {"overdue": True}}, token=desk["pm1"]))["data"]["hazards"]
    assert [e["node"]["id"] for e in overdue["edges"]] == [h["id"]]
    shown = ok(await gql(RECTIFY, {"h": h["id"], "n": "已清理"}, token=desk["disp1"]), "recordHazardRectification")
    assert sorted(e["level"] for e in shown["escalations"]) == ["l1", "remind"] and not shown["overdue"]
    assert sorted(await timers(owner_engine, h["id"])) == [("l1", True), ("remind", True)]  # L2 and L3 will never fire
