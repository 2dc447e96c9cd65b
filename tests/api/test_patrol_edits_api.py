"""巡查 changed after the fact (docs/centre-day.md §2.1): a route, point or plan edited and switched
off and on, a run cancelled. A point switched off leaves the runs not started and the sheet and its
code takes no visits; a plan or route switched off cancels its runs not started and stops their
timers, and switched on gets them back; a plan edited remakes the runs to come; a cancelled run is
never missed and never climbs the ladder. Another company's and another project's ids are NOT_FOUND."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.test_patrols_api import ROUTE, START, VISIT, data, ok, refused, runs_of
from tests.api import test_patrols_api
from workers.patrol_sweep import sweep
from workers.sla_scanner import fire_items_due

RUN_FIELDS = "run { id state cancelReason cancelledAt pointsTotal } errors { code field reason message }"
UPDATE_ROUTE = """mutation($i: UpdatePatrolRouteInput!) { updatePatrolRoute(input: $i) {
  route { id name kind active } errors { code field } } }"""
ROUTE_ACTIVE = """mutation($r: ID!, $a: Boolean!) { setPatrolRouteActive(routeId: $r, active: $a) {
  route { id active } errors { code field } } }"""
UPDATE_POINT = """mutation($i: UpdatePatrolPointInput!) { updatePatrolPoint(input: $i) {
  point { id name place checks qrContent active } errors { code field } } }"""
POINT_ACTIVE = """mutation($p: ID!, $a: Boolean!) { setPatrolPointActive(pointId: $p, active: $a) {
  point { id active } errors { code field } } }"""
UPDATE_PLAN = """mutation($i: UpdatePatrolPlanInput!) { updatePatrolPlan(input: $i) {
  plan { id windowMinutes assignee { username } } errors { code field } } }"""
PLAN_ACTIVE = """mutation($p: ID!, $a: Boolean!) { setPatrolPlanActive(planId: $p, active: $a) {
  plan { id active } errors { code field } } }"""
CANCEL = f"mutation($r: ID!, $why: String!) {{ cancelPatrolRun(runId: $r, reason: $why) {{ {RUN_FIELDS} }} }}"
ROUTES = "query($p: ID!) { patrolRoutes(projectId: $p, includeInactive: true) { id active points { id active } } }"
walk = test_patrols_api.walk  # the same route of two points, planned daily for `walker`


async def runs(owner_engine, plan_gid):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT r.id, r.state, r.points_total, r.due_from, r.due_until, r.cancelled_with, r.cancel_reason, "
            "  (SELECT count(*) FROM item_timers t WHERE t.subject_id = r.id AND t.fired_at IS NULL) AS timers, "
            "  (SELECT array_agg(DISTINCT t.owner_user_id) FROM item_timers t WHERE t.subject_id = r.id) AS owners "
            "FROM patrol_runs r WHERE plan_id = :p ORDER BY due_from"), {"p": from_global_id(plan_gid, "PatrolPlan")})).all()


async def audited(owner_engine, org, action):
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = :a"),
                                   {"o": org.org_id, "a": action})).scalar_one()


async def test_a_point_switched_off_leaves_runs_and_the_sheet_and_takes_no_visits(gql, walk, platform, owner_engine, org, client):
    t, second = walk["t"], walk["points"][1]
    await sweep(platform)
    p = ok(await gql(UPDATE_POINT, {"i": {"pointId": second["id"], "name": "1号楼屋面", "checks": ["门锁", "排水"]}},
                     token=t["pm1"]), "updatePatrolPoint", "point")
    assert (p["name"], p["checks"], p["qrContent"]) == ("1号楼屋面", ["门锁", "排水"], second["qrContent"])
    e = refused(await gql(UPDATE_POINT, {"i": {"pointId": second["id"], "name": " "}}, token=t["pm1"]), "updatePatrolPoint")
    assert (e["code"], e["field"]) == ("VALIDATION", "name")
    r = await gql(POINT_ACTIVE, {"p": second["id"], "a": False}, token=t["walker"])
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    assert ok(await gql(POINT_ACTIVE, {"p": second["id"], "a": False}, token=t["pm1"]), "setPatrolPointActive", "point")["active"] is False
    assert {r.points_total for r in await runs(owner_engine, walk["plan"])} == {1}
    shown = data(await gql(ROUTES, {"p": walk["p1"]}, token=t["pm1"]), "patrolRoutes")
    assert [pt["active"] for pt in shown[0]["points"]] == [True, False]
    sheet = await client.get(f"/print/patrol-points?route={walk['route']}", headers={"authorization": f"Bearer {t['pm1']}"})
    assert sheet.text.count("<svg") == 1 and second["qrContent"][-6:] not in sheet.text
    run = to_global_id("PatrolRun", (await runs_of(owner_engine, walk["plan"]))[0].id)
    for i, field in (({"pointToken": second["qrContent"]}, "pointToken"), ({"pointId": second["id"]}, "pointId")):
        e = refused(await gql(VISIT, {"i": {"runId": run, "result": "OK"} | i}, token=t["walker"]), "recordPatrolVisit")
        assert (e["code"], e["field"]) == ("INVALID_STATE", field), e
    e = refused(await gql(VISIT, {"i": {"runId": run, "result": "OK", "pointToken": second["qrContent"][-6:]}}, token=t["walker"]),
                "recordPatrolVisit")
    assert e["code"] == "NOT_FOUND"  # a typed tail names active points only
    # On again: counted again, and its code is good.
    ok(await gql(POINT_ACTIVE, {"p": second["id"], "a": True}, token=t["pm1"]), "setPatrolPointActive", "point")
    assert {r.points_total for r in await runs(owner_engine, walk["plan"])} == {2}
    v = data(await gql(VISIT, {"i": {"runId": run, "result": "OK", "pointToken": second["qrContent"]}}, token=t["walker"]),
             "recordPatrolVisit")
    assert v["errors"] == [] and v["run"]["pointsDone"] == 1
    assert await audited(owner_engine, org, "patrol.point.deactivated") == 1
    assert await audited(owner_engine, org, "patrol.point.activated") == 1
    assert await audited(owner_engine, org, "patrol.point.updated") == 1


async def test_plans_and_routes_edited_and_switched_off_and_on(gql, walk, platform, owner_engine, org):
    t = walk["t"]
    await sweep(platform)
    before = await runs(owner_engine, walk["plan"])
    assert len(before) == 8 and {r.timers for r in before} == {4}
    # The plan given to the supervisor, its window shortened: today's run (its window open) stays as it
    # was, the seven to come are made again from the new schedule, their timers the supervisor's.
    plan = ok(await gql(UPDATE_PLAN, {"i": {"planId": walk["plan"], "assigneeId": to_global_id("User", walk["ids"]["sup1"]),
                                            "cadence": "DAILY", "windowStart": "00:00:00", "windowMinutes": 600,
                                            "startsOn": before[0].due_from.date().isoformat()}}, token=t["pm1"]),
              "updatePatrolPlan", "plan")
    assert (plan["windowMinutes"], plan["assignee"]["username"]) == (600, "sup1")
    after = await runs(owner_engine, walk["plan"])
    assert [r.id for r in after] == [r.id for r in before] and {r.state for r in after} == {"scheduled"}
    assert after[0].due_until - after[0].due_from == before[0].due_until - before[0].due_from
    assert {(r.due_until - r.due_from).total_seconds() for r in after[1:]} == {36000}
    assert {r.timers for r in after[1:]} == {4} and {tuple(r.owners) for r in after[1:]} == {(walk["ids"]["sup1"],)}
    e = refused(await gql(UPDATE_PLAN, {"i": {"planId": walk["plan"], "assigneeId": to_global_id("User", walk["ids"]["sup1"]),
                                              "cadence": "WEEKLY", "windowStart": "00:00:00", "windowMinutes": 600,
                                              "startsOn": "2026-01-01"}}, token=t["pm1"]), "updatePatrolPlan")
    assert (e["code"], e["field"]) == ("VALIDATION", "weekdays")

    # Off: no run not started is left, nor its timers; the sweep makes none. A started run walks on.
    ok(await gql(START, {"r": to_global_id("PatrolRun", after[0].id)}, token=t["sup1"]), "startPatrolRun", "run")
    assert ok(await gql(PLAN_ACTIVE, {"p": walk["plan"], "a": False}, token=t["pm1"]), "setPatrolPlanActive", "plan")["active"] is False
    await sweep(platform)
    off = await runs(owner_engine, walk["plan"])
    assert [r.state for r in off] == ["in_progress"] + ["cancelled"] * 7
    assert {r.timers for r in off[1:]} == {0} and {r.cancelled_with for r in off[1:]} == {"plan"}
    # On: the same windows are back, timers planted.
    ok(await gql(PLAN_ACTIVE, {"p": walk["plan"], "a": True}, token=t["pm1"]), "setPatrolPlanActive", "plan")
    on = await runs(owner_engine, walk["plan"])
    assert [r.state for r in on] == ["in_progress"] + ["scheduled"] * 7 and {r.timers for r in on[1:]} == {4}

    # The route renamed (a name taken is a conflict), then switched off and on with the same effect.
    other = ok(await gql(ROUTE, {"p": walk["p1"], "n": "绿化巡查"}, token=t["pm1"]), "createPatrolRoute", "route")["id"]
    e = refused(await gql(UPDATE_ROUTE, {"i": {"routeId": walk["route"], "name": "绿化巡查"}}, token=t["pm1"]), "updatePatrolRoute")
    assert (e["code"], e["field"]) == ("CONFLICT", "name")
    r = ok(await gql(UPDATE_ROUTE, {"i": {"routeId": walk["route"], "name": "夜间消防巡查", "kind": "ENGINEERING"}}, token=t["pm1"]),
           "updatePatrolRoute", "route")
    assert (r["name"], r["kind"]) == ("夜间消防巡查", "ENGINEERING") and other
    ok(await gql(ROUTE_ACTIVE, {"r": walk["route"], "a": False}, token=t["pm1"]), "setPatrolRouteActive", "route")
    await sweep(platform)
    assert [r.state for r in await runs(owner_engine, walk["plan"])] == ["in_progress"] + ["cancelled"] * 7
    ok(await gql(ROUTE_ACTIVE, {"r": walk["route"], "a": True}, token=t["pm1"]), "setPatrolRouteActive", "route")
    assert [r.state for r in await runs(owner_engine, walk["plan"])] == ["in_progress"] + ["scheduled"] * 7
    for action, n in (("patrol.plan.updated", 1), ("patrol.plan.deactivated", 1), ("patrol.plan.activated", 1),
                      ("patrol.route.updated", 1), ("patrol.route.deactivated", 1), ("patrol.route.activated", 1),
                      ("patrol.cancelled", 21)):
        assert await audited(owner_engine, org, action) == n, action


async def test_a_cancelled_run_is_never_missed_and_never_climbs_the_ladder(gql, walk, platform, owner_engine, org):
    t = walk["t"]
    await sweep(platform)
    run_id = (await runs_of(owner_engine, walk["plan"]))[0].id
    run = to_global_id("PatrolRun", run_id)
    # The reminder has fired already.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE item_timers SET due_at = now() - interval '1 second' WHERE subject_id = :r "
                                "AND level = 'remind'"), {"r": run_id})
    await fire_items_due(platform)
    e = refused(await gql(CANCEL, {"r": run, "why": "  "}, token=t["pm1"]), "cancelPatrolRun")
    assert (e["code"], e["field"]) == ("VALIDATION", "reason")
    r = await gql(CANCEL, {"r": run, "why": "台风停止户外巡查"}, token=t["walker"])
    assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    done = ok(await gql(CANCEL, {"r": run, "why": "台风停止户外巡查"}, token=t["pm1"]), "cancelPatrolRun", "run")
    assert (done["state"], done["cancelReason"]) == ("CANCELLED", "台风停止户外巡查") and done["cancelledAt"]
    # Its window ends and every rung comes due: nothing more fires, the sweep does not mark it missed.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE patrol_runs SET due_from = now() - interval '3 hours', due_until = now() - interval '2 hours' "
                                "WHERE id = :r"), {"r": run_id})
        await conn.execute(text("UPDATE item_timers SET due_at = now() - interval '1 second' WHERE subject_id = :r"), {"r": run_id})
    await fire_items_due(platform)
    await sweep(platform)
    async with owner_engine.connect() as conn:
        fired = (await conn.execute(text("SELECT level FROM item_escalations WHERE subject_id = :r"), {"r": run_id})).scalars().all()
        state = (await conn.execute(text("SELECT state, missed_at FROM patrol_runs WHERE id = :r"), {"r": run_id})).one()
        missed = (await conn.execute(text("SELECT count(*) FROM outbox WHERE topic = 'patrol.missed' AND payload->>'run_id' = :r"),
                                     {"r": str(run_id)})).scalar_one()
    assert fired == ["remind"] and tuple(state) == ("cancelled", None) and missed == 0
    assert await audited(owner_engine, org, "patrol.cancelled") == 1
    # A cancelled run is not cancelled again, nor walked; the plan switched on again does not revive it.
    assert refused(await gql(CANCEL, {"r": run, "why": "再次"}, token=t["pm1"]), "cancelPatrolRun")["code"] == "INVALID_STATE"
    assert refused(await gql(START, {"r": run}, token=t["walker"]), "startPatrolRun")["code"] == "INVALID_STATE"
    ok(await gql(PLAN_ACTIVE, {"p": walk["plan"], "a": False}, token=t["pm1"]), "setPatrolPlanActive", "plan")
    ok(await gql(PLAN_ACTIVE, {"p": walk["plan"], "a": True}, token=t["pm1"]), "setPatrolPlanActive", "plan")
    async with owner_engine.connect() as conn:
        again = (await conn.execute(text("SELECT state, cancel_reason FROM patrol_runs WHERE id = :r"), {"r": run_id})).one()
    assert tuple(again) == ("cancelled", "台风停止户外巡查")


async def test_another_company_and_another_project_edit_nothing(gql, walk, platform, owner_engine):
    t = walk["t"]
    await sweep(platform)
    run = to_global_id("PatrolRun", (await runs_of(owner_engine, walk["plan"]))[0].id)
    point = walk["points"][0]["id"]
    plan = {"planId": walk["plan"], "assigneeId": to_global_id("User", walk["ids"]["walker"]), "cadence": "DAILY",
            "windowStart": "08:00:00", "windowMinutes": 60, "startsOn": "2026-01-01"}
    for who in ("stranger", "pm2"):
        tok = t[who]
        for m, v, name in ((UPDATE_ROUTE, {"i": {"routeId": walk["route"], "name": "x"}}, "updatePatrolRoute"),
                           (ROUTE_ACTIVE, {"r": walk["route"], "a": False}, "setPatrolRouteActive"),
                           (UPDATE_POINT, {"i": {"pointId": point, "name": "x"}}, "updatePatrolPoint"),
                           (POINT_ACTIVE, {"p": point, "a": False}, "setPatrolPointActive"),
                           (UPDATE_PLAN, {"i": plan}, "updatePatrolPlan"),
                           (PLAN_ACTIVE, {"p": walk["plan"], "a": False}, "setPatrolPlanActive"),
                           (CANCEL, {"r": run, "why": "x"}, "cancelPatrolRun")):
            e = refused(await gql(m, v, token=tok), name)
            assert e["code"] == "NOT_FOUND", (who, name, e)
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text(
            "SELECT r.name, r.active, (SELECT bool_and(active) FROM patrol_points WHERE route_id = r.id), "
            "  (SELECT bool_and(active) FROM patrol_plans WHERE route_id = r.id), "
            "  (SELECT count(*) FROM patrol_runs WHERE route_id = r.id AND state = 'cancelled') "
            "FROM patrol_routes r WHERE id = :r"), {"r": from_global_id(walk["route"], "PatrolRoute")})).one()
    assert tuple(row) == ("消防巡查", True, True, True, 0)
