"""巡查 through the API (docs/centre-day.md §2.1): a manager lays out a route of points and plans who
walks it; the patrol sweep makes the coming week's runs (again and again: nothing twice) with the
ladder's timers at each window's end; the assignee walks a run point by point — scanned or picked —
inside its window only, a point of another route refused; an issue becomes a case once; a run
nobody finishes is missed and escalates. Another company's and another project's ids are NOT_FOUND."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.conftest import add_user
from workers.broker import EVENTS_QUEUE
from workers.patrol_sweep import sweep
from workers.relay import relay_all
from workers.sla_scanner import fire_items_due

ROUTE = "mutation($p: ID!, $n: String!) { createPatrolRoute(projectId: $p, name: $n, kind: SAFETY) { route { id } errors { code field } } }"
POINT = """mutation($i: AddPatrolPointInput!) { addPatrolPoint(input: $i) {
  point { id position name qrContent checks } errors { code field } } }"""
PLAN = "mutation($i: CreatePatrolPlanInput!) { createPatrolPlan(input: $i) { plan { id cadence } errors { code field message } } }"
RUN_FIELDS = "run { id state pointsDone pointsTotal visits { result scanned note } } errors { code field reason }"
START = f"mutation($r: ID!) {{ startPatrolRun(runId: $r) {{ {RUN_FIELDS} }} }}"
FINISH = f"mutation($r: ID!) {{ finishPatrolRun(runId: $r) {{ {RUN_FIELDS} }} }}"
VISIT = f"""mutation($i: RecordPatrolVisitInput!) {{ recordPatrolVisit(input: $i) {{
  visit {{ id result scanned note photos talkNote }} {RUN_FIELDS} }} }}"""
TO_CASE = """mutation($v: ID!) { caseFromPatrolVisit(visitId: $v, input: {kind: REPAIR, category: "sanitation"}) {
  case { id channel description } errors { code field } } }"""
ROUTES = "query($p: ID!) { patrolRoutes(projectId: $p) { id name points { id name qrContent } plans { id } } }"
RUNS = "query($p: ID!, $f: Date!, $t: Date) { patrolRuns(projectId: $p, from: $f, to: $t) { id state dueFrom } }"
NODE = "query($a: ID!) { node(id: $a) { id } }"
INBOX = "{ notifications(unreadOnly: true) { items { topic title } } }"


def beijing_today() -> date:
    return datetime.now(UTC).astimezone(timezone(timedelta(hours=8))).date()


def data(reply, name):
    assert "errors" not in reply, reply
    return reply["data"][name]


def ok(reply, name, key):
    body = data(reply, name)
    assert body["errors"] == [], body
    return body[key]


def refused(reply, name):
    return data(reply, name)["errors"][0]


@pytest.fixture
async def walk(gql, owner_engine, org, other_org):
    """P1's route of two points, planned daily for `walker` all day long (Beijing), swept."""
    users = {}
    for name, role, project in (("pm1", "project_manager", "P1"), ("sup1", "cs_supervisor", "P1"), ("walker", "staff", "P1"),
                                ("agent1", "cs_agent", "P1"), ("pm2", "project_manager", "P2")):
        users[name] = await add_user(owner_engine, org, name, role, project)
    t = {n: await gql.login(org, n) for n in users} | {"stranger": await gql.login(other_org)}
    p1 = to_global_id("Project", org.projects["P1"])
    route = ok(await gql(ROUTE, {"p": p1, "n": "消防巡查"}, token=t["pm1"]), "createPatrolRoute", "route")["id"]
    points = [ok(await gql(POINT, {"i": {"routeId": route, "name": name, "place": place, "checks": ["压力表", " "]}}, token=t["pm1"]),
                 "addPatrolPoint", "point") for name, place in (("消防泵房", "地下车库B2"), ("1号楼天台", ""))]
    plan = ok(await gql(PLAN, {"i": {"routeId": route, "assigneeId": to_global_id("User", users["walker"]), "cadence": "DAILY",
                                     "windowStart": "00:00:00", "windowMinutes": 1440,
                                     "startsOn": beijing_today().isoformat()}}, token=t["pm1"]), "createPatrolPlan", "plan")
    return {"t": t, "ids": users, "p1": p1, "p2": to_global_id("Project", org.projects["P2"]), "route": route, "points": points,
            "plan": plan["id"]}


async def runs_of(owner_engine, plan_gid):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT r.id, r.state, (SELECT count(*) FROM item_timers t WHERE t.subject_id = r.id) AS timers "
            "FROM patrol_runs r WHERE plan_id = :p ORDER BY due_from"), {"p": from_global_id(plan_gid, "PatrolPlan")})).all()


async def test_a_run_walked_point_by_point_inside_its_window(gql, walk, platform, owner_engine):
    t = walk["t"]
    assert walk["points"][0]["position"] == 1 and walk["points"][1]["position"] == 2
    assert walk["points"][0]["checks"] == ["压力表"] and walk["points"][0]["qrContent"].startswith("fc:pp:")
    # The sweep makes today's and the next seven days' runs, each with its four rungs; again, nothing new.
    await sweep(platform)
    await sweep(platform)
    made = await runs_of(owner_engine, walk["plan"])
    assert len(made) == 8 and {r.timers for r in made} == {4} and {r.state for r in made} == {"scheduled"}
    today = data(await gql(RUNS, {"p": walk["p1"], "f": beijing_today().isoformat()}, token=t["walker"]), "patrolRuns")
    assert len(today) == 1 and today[0]["state"] == "SCHEDULED"
    run = today[0]["id"]
    # The walker reads the route but not the codes: only patrol managers see what a code holds.
    shown = data(await gql(ROUTES, {"p": walk["p1"]}, token=t["walker"]), "patrolRoutes")
    assert [p["qrContent"] for p in shown[0]["points"]] == [None, None]

    assert refused(await gql(START, {"r": run}, token=t["agent1"]), "startPatrolRun")["code"] == "FORBIDDEN"
    assert ok(await gql(START, {"r": run}, token=t["walker"]), "startPatrolRun", "run")["state"] == "IN_PROGRESS"
    token = walk["points"][0]["qrContent"]
    v = data(await gql(VISIT, {"i": {"runId": run, "pointToken": token, "result": "OK"}}, token=t["walker"]), "recordPatrolVisit")
    assert v["errors"] == [] and v["visit"]["scanned"] is True and v["run"]["pointsDone"] == 1
    typed = token[-26:].lower()  # typed by hand, without the prefix
    v = data(await gql(VISIT, {"i": {"runId": run, "pointToken": typed, "result": "NA"}}, token=t["walker"]), "recordPatrolVisit")
    assert v["run"]["pointsDone"] == 1 and v["visit"]["result"] == "NA"  # the same point again: one row, the latest word
    tail = token[-6:].lower()  # the six characters printed under the code, typed on a phone without a reader
    v = data(await gql(VISIT, {"i": {"runId": run, "pointToken": tail, "result": "NA"}}, token=t["walker"]), "recordPatrolVisit")
    assert v["errors"] == [] and (v["visit"]["scanned"], v["run"]["pointsDone"]) == (True, 1)
    for bad, field in (({"result": "ISSUE"}, "note"), ({"result": "OK", "photos": ["http://x/1.jpg"]}, "photos"),
                       ({"result": "OK", "pointToken": token}, "pointToken")):
        i = {"runId": run, "pointId": walk["points"][1]["id"]} | bad
        e = refused(await gql(VISIT, {"i": i}, token=t["walker"]), "recordPatrolVisit")
        assert (e["code"], e["field"]) == ("VALIDATION", field), (bad, e)
    issue = data(await gql(VISIT, {"i": {"runId": run, "pointId": walk["points"][1]["id"], "result": "ISSUE", "note": "天台门锁坏",
                                         "photos": ["https://files.example.com/p.jpg"], "talk": {"note": "住户反映夜间有人上天台"}}},
                           token=t["walker"]), "recordPatrolVisit")
    assert (issue["visit"]["scanned"], issue["visit"]["talkNote"], issue["run"]["pointsDone"]) == (False, "住户反映夜间有人上天台", 2)
    # The finding becomes a case of the patrol channel, once.
    case = ok(await gql(TO_CASE, {"v": issue["visit"]["id"]}, token=t["walker"]), "caseFromPatrolVisit", "case")
    assert case["channel"] == "PATROL" and "天台门锁坏" in case["description"]
    assert refused(await gql(TO_CASE, {"v": issue["visit"]["id"]}, token=t["walker"]), "caseFromPatrolVisit")["code"] == "CONFLICT"

    done = ok(await gql(FINISH, {"r": run}, token=t["walker"]), "finishPatrolRun", "run")
    assert (done["state"], done["pointsDone"], done["pointsTotal"]) == ("DONE", 2, 2)
    assert [v["result"] for v in done["visits"]] == ["NA", "ISSUE"]
    async with owner_engine.connect() as conn:
        left = (await conn.execute(text("SELECT count(*) FROM item_timers WHERE subject_id = :r"),
                                   {"r": from_global_id(run, "PatrolRun")})).scalar_one()
    assert left == 0  # finished in time: nothing will fire
    e = refused(await gql(VISIT, {"i": {"runId": run, "pointToken": token, "result": "OK"}}, token=t["walker"]), "recordPatrolVisit")
    assert e["code"] == "INVALID_STATE"
    # Tomorrow's run is not open yet.
    tomorrow = to_global_id("PatrolRun", (await runs_of(owner_engine, walk["plan"]))[1].id)
    e = refused(await gql(VISIT, {"i": {"runId": tomorrow, "pointToken": token, "result": "OK"}}, token=t["walker"]),
                "recordPatrolVisit")
    assert (e["code"], e["reason"]) == ("OUT_OF_WINDOW", "PATROL_CLOSED")


async def test_a_point_of_another_route_is_refused(gql, walk, platform, owner_engine):
    t = walk["t"]
    other = ok(await gql(ROUTE, {"p": walk["p1"], "n": "绿化巡查"}, token=t["pm1"]), "createPatrolRoute", "route")["id"]
    elsewhere = ok(await gql(POINT, {"i": {"routeId": other, "name": "中心花园"}}, token=t["pm1"]), "addPatrolPoint", "point")
    await sweep(platform)
    run = to_global_id("PatrolRun", (await runs_of(owner_engine, walk["plan"]))[0].id)
    for i in ({"pointToken": elsewhere["qrContent"]}, {"pointId": elsewhere["id"]}):
        e = refused(await gql(VISIT, {"i": {"runId": run, "result": "OK"} | i}, token=t["walker"]), "recordPatrolVisit")
        assert (e["code"], e["field"]) == ("VALIDATION", next(iter(i))), e
    e = refused(await gql(VISIT, {"i": {"runId": run, "result": "OK", "pointToken": "fc:pp:" + "A" * 26}}, token=t["walker"]),
                "recordPatrolVisit")
    assert e["code"] == "NOT_FOUND"
    # A typed tail names a point of the run's own route only; fewer than six characters name none.
    for typed, code in ((elsewhere["qrContent"][-6:], "NOT_FOUND"), (elsewhere["qrContent"][-3:], "VALIDATION")):
        e = refused(await gql(VISIT, {"i": {"runId": run, "result": "OK", "pointToken": typed}}, token=t["walker"]), "recordPatrolVisit")
        assert (e["code"], e["field"]) == (code, "pointToken"), (typed, e)
    # A second route of the same name in the project is refused.
    assert refused(await gql(ROUTE, {"p": walk["p1"], "n": "绿化巡查"}, token=t["pm1"]), "createPatrolRoute")["code"] == "CONFLICT"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM patrol_visits WHERE run_id = :r"),
                                   {"r": from_global_id(run, "PatrolRun")})).scalar_one() == 0


async def test_another_company_and_another_project_see_and_change_nothing(gql, walk, platform, owner_engine, client):
    t = walk["t"]
    await sweep(platform)
    run = to_global_id("PatrolRun", (await runs_of(owner_engine, walk["plan"]))[0].id)
    visit = ok(await gql(VISIT, {"i": {"runId": run, "pointId": walk["points"][0]["id"], "result": "ISSUE", "note": "漏水"}},
                         token=t["walker"]), "recordPatrolVisit", "visit")["id"]
    token = walk["points"][0]["qrContent"]
    for who in ("stranger", "pm2"):
        tok = t[who]
        for gid in (walk["route"], walk["points"][0]["id"], walk["plan"], run, visit):
            assert data(await gql(NODE, {"a": gid}, token=tok), "node") is None, (who, gid)
        for q, v in ((ROUTES, {"p": walk["p1"]}), (RUNS, {"p": walk["p1"], "f": beijing_today().isoformat()})):
            r = await gql(q, v, token=tok)
            assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "NOT_FOUND", (who, r)
        assert refused(await gql(ROUTE, {"p": walk["p1"], "n": "x"}, token=tok), "createPatrolRoute")["code"] == "NOT_FOUND"
        assert refused(await gql(POINT, {"i": {"routeId": walk["route"], "name": "x"}}, token=tok), "addPatrolPoint")["code"] == "NOT_FOUND"
        plan = {"routeId": walk["route"], "assigneeId": to_global_id("User", walk["ids"]["pm2"]), "cadence": "DAILY",
                "windowStart": "09:00:00", "windowMinutes": 60, "startsOn": beijing_today().isoformat()}
        assert refused(await gql(PLAN, {"i": plan}, token=tok), "createPatrolPlan")["code"] == "NOT_FOUND"
        for m, name in ((START, "startPatrolRun"), (FINISH, "finishPatrolRun")):
            assert refused(await gql(m, {"r": run}, token=tok), name)["code"] == "NOT_FOUND", (who, name)
        for i in ({"pointToken": token}, {"pointId": walk["points"][0]["id"]}):
            e = refused(await gql(VISIT, {"i": {"runId": run, "result": "OK"} | i}, token=tok), "recordPatrolVisit")
            assert e["code"] == "NOT_FOUND", (who, e)
        assert refused(await gql(TO_CASE, {"v": visit}, token=tok), "caseFromPatrolVisit")["code"] == "NOT_FOUND"
        printed = await client.get(f"/print/patrol-points?route={walk['route']}", headers={"authorization": f"Bearer {tok}"})
        assert printed.status_code == 404, (who, printed.text)
    # P2's manager plans nothing on P1's route for a P2 user, and P1 plans need a P1 person.
    e = refused(await gql(PLAN, {"i": plan}, token=t["pm1"]), "createPatrolPlan")
    assert (e["code"], e["field"]) == ("VALIDATION", "assigneeId")
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT state, points_done, (SELECT count(*) FROM patrol_plans WHERE route_id = r.route_id) "
                                       "FROM patrol_runs r WHERE id = :r"), {"r": from_global_id(run, "PatrolRun")})).one()
    assert tuple(row) == ("in_progress", 1, 1)


async def test_the_qr_sheet_prints_each_point_for_patrol_managers(walk, client):
    headers = {"authorization": f"Bearer {walk['t']['pm1']}"}
    sheet = await client.get(f"/print/patrol-points?route={walk['route']}", headers=headers)
    assert sheet.status_code == 200, sheet.text
    assert sheet.text.count("<svg") == 2 and "消防泵房" in sheet.text and "地下车库B2" in sheet.text
    assert walk["points"][0]["qrContent"][-6:] in sheet.text
    denied = await client.get(f"/print/patrol-points?route={walk['route']}", headers={"authorization": f"Bearer {walk['t']['walker']}"})
    assert denied.status_code == 403
    assert (await client.get("/print/patrol-points?route=nope", headers=headers)).status_code == 400


async def test_a_missed_run_climbs_the_ladder_and_is_marked_missed(gql, walk, platform, owner_engine, org, stub_worker):
    t = walk["t"]
    await sweep(platform)
    run_id = (await runs_of(owner_engine, walk["plan"]))[0].id
    # Its window is over and nobody finished it: the remind and L1 rungs are due.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE patrol_runs SET due_from = now() - interval '2 hours', due_until = now() - interval '1 hour' "
                                "WHERE id = :r"), {"r": run_id})
        await conn.execute(text("UPDATE item_timers SET due_at = now() - interval '1 second' "
                                "WHERE subject_id = :r AND level IN ('remind', 'l1')"), {"r": run_id})
    await fire_items_due(platform)
    await fire_items_due(platform)  # a second scan fires nothing again
    await sweep(platform)
    await sweep(platform)
    async with owner_engine.connect() as conn:
        fired = (await conn.execute(text("SELECT level, cardinality(recipients) FROM item_escalations WHERE subject_id = :r "
                                         "ORDER BY level"), {"r": run_id})).all()
        state = (await conn.execute(text("SELECT state, missed_at IS NOT NULL FROM patrol_runs WHERE id = :r"), {"r": run_id})).one()
        missed = (await conn.execute(text("SELECT count(*) FROM outbox WHERE topic = 'patrol.missed' AND payload->>'run_id' = :r"),
                                     {"r": str(run_id)})).scalar_one()
    assert [tuple(f) for f in fired] == [("l1", 1), ("remind", 1)]  # the walker is reminded, P1's CS supervisor told
    assert tuple(state) == ("missed", True) and missed == 1
    assert await relay_all(platform, stub_worker) >= 1
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)
    titles = [i["title"] for i in data(await gql(INBOX, token=t["sup1"]), "notifications")["items"]]
    assert titles == ["一级升级 L1：巡查未按时完成"]
    e = refused(await gql(START, {"r": to_global_id("PatrolRun", run_id)}, token=t["walker"]), "startPatrolRun")
    assert e["code"] == "INVALID_STATE"


async def test_a_department_plan_is_walked_by_its_members_only(gql, walk, platform, owner_engine, org):
    t, ids = walk["t"], {"o": org.org_id, "p": org.projects["P1"], "u": walk["ids"]["agent1"]}
    async with owner_engine.begin() as conn:
        dept = (await conn.execute(text("SELECT id FROM departments WHERE org_id = :o AND project_id = :p ORDER BY name LIMIT 1"),
                                   ids)).scalar_one()
        staff = (await conn.execute(text("INSERT INTO staff (org_id, project_id, department_id, name) VALUES (:o, :p, :d, '秩序员') "
                                         "RETURNING id"), ids | {"d": dept})).scalar_one()
        await conn.execute(text("UPDATE users SET staff_id = :s WHERE id = :u"), ids | {"s": staff})
    plan = ok(await gql(PLAN, {"i": {"routeId": walk["route"], "departmentId": to_global_id("Department", dept), "cadence": "WEEKLY",
                                     "weekdays": [1, 2, 3, 4, 5, 6, 7], "windowStart": "00:00:00", "windowMinutes": 1440,
                                     "startsOn": beijing_today().isoformat()}}, token=t["pm1"]), "createPatrolPlan", "plan")
    for i, field in (({"weekdays": []}, "weekdays"), ({"windowMinutes": 5}, "windowMinutes"),
                     ({"assigneeId": to_global_id("User", walk["ids"]["walker"])}, "assigneeId")):
        bad = {"routeId": walk["route"], "departmentId": to_global_id("Department", dept), "cadence": "WEEKLY", "weekdays": [1],
               "windowStart": "08:00:00", "windowMinutes": 60, "startsOn": beijing_today().isoformat()} | i
        e = refused(await gql(PLAN, {"i": bad}, token=t["pm1"]), "createPatrolPlan")
        assert (e["code"], e["field"]) == ("VALIDATION", field), (i, e)
    await sweep(platform)
    made = await runs_of(owner_engine, plan["id"])
    assert len(made) == 8
    run = to_global_id("PatrolRun", made[0].id)
    assert refused(await gql(START, {"r": run}, token=t["walker"]), "startPatrolRun")["code"] == "FORBIDDEN"
    assert ok(await gql(START, {"r": run}, token=t["agent1"]), "startPatrolRun", "run")["state"] == "IN_PROGRESS"
    done = ok(await gql(FINISH, {"r": run}, token=t["agent1"]), "finishPatrolRun", "run")
    assert (done["state"], done["pointsDone"], done["pointsTotal"]) == ("DONE", 0, 2)  # unvisited points stay visible
