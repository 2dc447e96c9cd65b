"""持续改进 through the API (docs/centre-day.md §6): a corrective action raised from an alert or an
inspection of the same project, owned by a person of the project, completed with evidence by its
owner, verified or returned by headquarters; an overdue one climbs the ladder like a late case,
each rung once, and stops when done. Another company's and another project's ids are NOT_FOUND."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.conftest import add_user
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all
from workers.sla_scanner import fire_items_due

FIELDS = ("action { id source sourceId title state stateLabel dueOn overdue evidenceNote evidenceFiles returnReason "
          "returnedCount owner { username } project { id } escalations { level recipientCount } } errors { code field message }")
RAISE = f"mutation($i: RaiseImprovementActionInput!, $k: String) {{ raiseImprovementAction(input: $i, idempotencyKey: $k) {{ {FIELDS} }} }}"
COMPLETE = f"""mutation($a: ID!, $n: String!, $f: [String!]) {{
  completeImprovementAction(actionId: $a, evidenceNote: $n, evidenceFiles: $f) {{ {FIELDS} }} }}"""
VERIFY = f"""mutation($a: ID!, $ok: Boolean!, $n: String, $d: Date) {{
  verifyImprovementAction(actionId: $a, passed: $ok, note: $n, newDueOn: $d) {{ {FIELDS} }} }}"""
LIST = """query($p: ID, $s: ActionState, $o: Boolean) { improvementActions(projectId: $p, state: $s, overdue: $o)
  { totalCount edges { node { id title overdue } } } }"""
NODE = "query($a: ID!) { node(id: $a) { ... on ImprovementAction { id title } } }"
HISTORY = """query($a: ID!) { node(id: $a) { ... on ImprovementAction { raiser { displayName }
  history { action label note late actor { displayName } } } } }"""
INBOX = "{ notifications(unreadOnly: true) { items { topic title body } } }"


def beijing_today() -> date:
    from datetime import UTC, datetime, timezone
    return datetime.now(UTC).astimezone(timezone(timedelta(hours=8))).date()


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    users = {}
    for name, role, project in (("hq", "hq_quality", None), ("pm1", "project_manager", "P1"), ("sup1", "cs_supervisor", "P1"),
                                ("agent1", "cs_agent", "P1"), ("pm2", "project_manager", "P2")):
        users[name] = await add_user(owner_engine, org, name, role, project)
    ids = {"o": org.org_id, "p": org.projects["P1"], "admin": org.admin_id}
    async with owner_engine.begin() as conn:
        alert = (await conn.execute(text(
            "INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
            "VALUES (:o, :p, 'cluster', 'building:x', 'orange', '3号楼漏水集中', '5户', '{}') RETURNING id"), ids)).scalar()
    return {n: await gql.login(org, n) for n in users} | {"ids": users, "alert": to_global_id("Alert", alert),
                                                          "stranger": await gql.login(other_org),
                                                          "p1": to_global_id("Project", org.projects["P1"]),
                                                          "p2": to_global_id("Project", org.projects["P2"])}


def action_input(desk, **kw):
    return {"projectId": desk["p1"], "source": "ALERT", "sourceId": desk["alert"], "title": "3号楼屋面防水整改",
            "ownerId": to_global_id("User", desk["ids"]["sup1"]), "dueOn": (beijing_today() + timedelta(days=7)).isoformat()} | kw


def ok(reply, name):
    assert "errors" not in reply, reply
    assert reply["data"][name]["errors"] == [], reply
    return reply["data"][name]["action"]


def refused(reply, name):
    assert "errors" not in reply, reply
    return reply["data"][name]["errors"][0]


async def test_raise_complete_return_and_verify(gql, desk):
    a = ok(await gql(RAISE, {"i": action_input(desk), "k": "r1"}, token=desk["pm1"]), "raiseImprovementAction")
    assert (a["state"], a["source"], a["sourceId"], a["owner"]["username"]) == ("OPEN", "ALERT", desk["alert"], "sup1")
    assert ok(await gql(RAISE, {"i": action_input(desk), "k": "r1"}, token=desk["pm1"]), "raiseImprovementAction")["id"] == a["id"]
    # Only its owner or the project's managers complete it; an agent of the project may not.
    e = refused(await gql(COMPLETE, {"a": a["id"], "n": "已完成"}, token=desk["agent1"]), "completeImprovementAction")
    assert e["code"] == "FORBIDDEN"
    done = ok(await gql(COMPLETE, {"a": a["id"], "n": "屋面重做防水层", "f": ["https://files.example.com/1.jpg"]},
                        token=desk["sup1"]), "completeImprovementAction")
    assert (done["state"], done["evidenceFiles"]) == ("DONE", ["https://files.example.com/1.jpg"])
    e = refused(await gql(COMPLETE, {"a": a["id"], "n": "再次"}, token=desk["sup1"]), "completeImprovementAction")
    assert e["code"] == "INVALID_STATE"
    # Verification is headquarters': a project manager may not.
    r = await gql(VERIFY, {"a": a["id"], "ok": True}, token=desk["pm1"])
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    e = refused(await gql(VERIFY, {"a": a["id"], "ok": False, "n": "仍有渗水"}, token=desk["hq"]), "verifyImprovementAction")
    assert (e["code"], e["field"]) == ("VALIDATION", "newDueOn")
    back = ok(await gql(VERIFY, {"a": a["id"], "ok": False, "n": "仍有渗水",
                                 "d": (beijing_today() + timedelta(days=3)).isoformat()}, token=desk["hq"]), "verifyImprovementAction")
    assert (back["state"], back["returnReason"], back["returnedCount"]) == ("OPEN", "仍有渗水", 1)
    ok(await gql(COMPLETE, {"a": a["id"], "n": "更换卷材"}, token=desk["sup1"]), "completeImprovementAction")
    final = ok(await gql(VERIFY, {"a": a["id"], "ok": True}, token=desk["hq"]), "verifyImprovementAction")
    assert final["state"] == "VERIFIED"
    # Every step stays readable, the first completion's too (the action itself keeps only the last).
    seen = (await gql(HISTORY, {"a": a["id"]}, token=desk["agent1"]))["data"]["node"]
    assert seen["raiser"]["displayName"] == "pm1"
    assert [(h["action"], h["note"], h["actor"]["displayName"]) for h in seen["history"]] == [
        ("improvement.raised", None, "pm1"), ("improvement.completed", None, "sup1"), ("improvement.returned", "仍有渗水", "hq"),
        ("improvement.completed", None, "sup1"), ("improvement.verified", None, "hq")]
    assert seen["history"][1]["label"].startswith("提交整改") and seen["history"][1]["late"] is False
    listed = (await gql(LIST, {"p": desk["p1"]}, token=desk["agent1"]))["data"]["improvementActions"]
    assert [e["node"]["id"] for e in listed["edges"]] == [a["id"]]


async def test_bad_input_gets_a_coded_error_and_writes_nothing(gql, desk, owner_engine, org):
    yesterday = (beijing_today() - timedelta(days=1)).isoformat()
    for kw, field in (({"title": " "}, "title"), ({"dueOn": yesterday}, "dueOn"),
                      ({"source": "OTHER"}, "sourceId"),
                      ({"ownerId": to_global_id("User", desk["ids"]["pm2"])}, "ownerId"),  # P2's manager owns nothing in P1
                      ({"sourceId": to_global_id("Alert", from_global_id(desk["p1"], "Project"))}, "sourceId")):
        e = refused(await gql(RAISE, {"i": action_input(desk, **kw)}, token=desk["pm1"]), "raiseImprovementAction")
        assert e["field"] == field and e["code"] in ("VALIDATION", "NOT_FOUND"), (kw, e)
    # An alert of P1 cannot source an action in P2.
    e = refused(await gql(RAISE, {"i": action_input(desk, projectId=desk["p2"], ownerId=to_global_id("User", desk["ids"]["pm2"]))},
                          token=desk["pm2"]), "raiseImprovementAction")
    assert (e["code"], e["field"]) == ("NOT_FOUND", "sourceId")
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM improvement_actions WHERE org_id = :o"),
                                   {"o": org.org_id})).scalar_one() == 0


async def test_another_company_and_another_project_see_and_change_nothing(gql, desk, owner_engine, org):
    a = ok(await gql(RAISE, {"i": action_input(desk)}, token=desk["pm1"]), "raiseImprovementAction")
    for token in (desk["stranger"], desk["pm2"]):
        assert (await gql(NODE, {"a": a["id"]}, token=token))["data"]["node"] is None
        assert (await gql(LIST, {}, token=token))["data"]["improvementActions"]["totalCount"] == 0
        assert refused(await gql(COMPLETE, {"a": a["id"], "n": "x"}, token=token), "completeImprovementAction")["code"] == "NOT_FOUND"
    r = await gql(VERIFY, {"a": a["id"], "ok": True}, token=desk["stranger"])  # an org admin elsewhere holds verify
    assert refused(r, "verifyImprovementAction")["code"] == "NOT_FOUND"
    r = await gql(RAISE, {"i": action_input(desk)}, token=desk["stranger"])
    assert refused(r, "raiseImprovementAction")["code"] == "NOT_FOUND"
    r = await gql(LIST, {"p": desk["p1"]}, token=desk["stranger"])
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT state, (SELECT count(*) FROM improvement_actions x WHERE x.org_id = :o) AS n "
                                       "FROM improvement_actions WHERE id = :a"),
                                  {"o": org.org_id, "a": from_global_id(a["id"], "ImprovementAction")})).one()
    assert tuple(row) == ("open", 1)


async def test_an_overdue_action_climbs_the_ladder_once_per_rung_and_stops_when_done(gql, desk, owner_engine, org, platform,
                                                                                 stub_worker):
    a = ok(await gql(RAISE, {"i": action_input(desk)}, token=desk["pm1"]), "raiseImprovementAction")
    action_id = from_global_id(a["id"], "ImprovementAction")
    async with owner_engine.begin() as conn:
        planted = (await conn.execute(text("SELECT level FROM item_timers WHERE subject_id = :a ORDER BY due_at"),
                                      {"a": action_id})).scalars().all()
        assert planted == ["remind", "l1", "l2", "l3"]
        await conn.execute(text("UPDATE item_timers SET due_at = now() - interval '1 second' "
                                "WHERE subject_id = :a AND level IN ('remind', 'l1')"), {"a": action_id})
    await fire_items_due(platform)
    await fire_items_due(platform)  # a second scan fires nothing again
    async with owner_engine.connect() as conn:
        fired = (await conn.execute(text("SELECT level, cardinality(recipients) FROM item_escalations WHERE subject_id = :a "
                                         "ORDER BY level"), {"a": action_id})).all()
    assert [tuple(f) for f in fired] == [("l1", 1), ("remind", 1)]  # sup1 is the owner and P1's one CS supervisor
    assert await relay_all(platform, stub_worker) >= 1
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)
    titles = sorted(i["title"] for i in (await gql(INBOX, token=desk["sup1"]))["data"]["notifications"]["items"])
    assert titles == ["一级升级 L1：整改措施逾期", "提醒：整改措施逾期", "新的整改措施"]
    shown = (await gql(NODE.replace("id title", "id title escalations { level }"), {"a": a["id"]}, token=desk["hq"]))["data"]["node"]
    assert [e["level"] for e in shown["escalations"]] == ["remind", "l1"] or [e["level"] for e in shown["escalations"]] == ["l1", "remind"]

    ok(await gql(COMPLETE, {"a": a["id"], "n": "已整改"}, token=desk["sup1"]), "completeImprovementAction")
    async with owner_engine.connect() as conn:
        left = (await conn.execute(text("SELECT count(*) FROM item_timers WHERE subject_id = :a AND fired_at IS NULL"),
                                   {"a": action_id})).scalar_one()
    assert left == 0  # done: L2 and L3 will never fire
