"""巡查 plans given new dates and routes given a new point (docs/centre-day.md §2.1, "A plan's dates"
and "Adding a point"). New dates cancel the runs not started on days they no longer cover — even one
whose window has opened — and bring them back when widened again; a run under way or done is never
touched; an end before the start, or a new end already past, is VALIDATION / PATROL_PLAN_DATES. A
point added joins the runs not started at once; a run already started keeps its points and takes no
visit at the new one. Another project's manager changes nothing."""

from __future__ import annotations

from datetime import timedelta

from api.graphql.types.node import to_global_id
from domain.patrols.editing import PLAN_DATES
from tests.api import test_patrols_api
from tests.api.test_patrol_edits_api import audited, runs
from tests.api.test_patrols_api import FINISH, POINT, START, VISIT, beijing_today, data, ok, refused
from workers.patrol_sweep import sweep

walk = test_patrols_api.walk  # P1's route of two points, planned daily for `walker` all day, from today
UPDATE_PLAN = """mutation($i: UpdatePatrolPlanInput!) { updatePatrolPlan(input: $i) {
  plan { id startsOn endsOn } errors { code field reason message } } }"""
ROUTES = "query($p: ID!) { patrolRoutes(projectId: $p) { id points { id name addedAt } } }"


def dates(walk, starts_on, ends_on=None) -> dict:
    """The walk's plan as it is, with these dates."""
    return {"i": {"planId": walk["plan"], "assigneeId": to_global_id("User", walk["ids"]["walker"]), "cadence": "DAILY",
                  "windowStart": "00:00:00", "windowMinutes": 1440, "startsOn": starts_on.isoformat(),
                  "endsOn": ends_on.isoformat() if ends_on else None}}


async def test_new_dates_cancel_the_runs_not_started_outside_them_and_never_touch_the_rest(gql, walk, platform, owner_engine, org):
    t, today = walk["t"], beijing_today()
    await sweep(platform)
    made = await runs(owner_engine, walk["plan"])
    assert len(made) == 8 and {r.state for r in made} == {"scheduled"}

    # Ending in three days: the four days after are cancelled with their timers; today and the next three stay.
    plan = ok(await gql(UPDATE_PLAN, dates(walk, today, today + timedelta(days=3)), token=t["pm1"]), "updatePatrolPlan", "plan")
    assert (plan["startsOn"], plan["endsOn"]) == (today.isoformat(), (today + timedelta(days=3)).isoformat())
    after = await runs(owner_engine, walk["plan"])
    assert [r.id for r in after] == [r.id for r in made]
    assert [r.state for r in after] == ["scheduled"] * 4 + ["cancelled"] * 4
    assert {r.timers for r in after[:4]} == {4} and {r.timers for r in after[4:]} == {0}
    assert {(r.cancelled_with, r.cancel_reason) for r in after[4:]} == {("plan", PLAN_DATES)}
    # Starting tomorrow: today's run, its window open but nobody started, is cancelled too (else it would
    # be missed and climb the ladder for a walk nobody asks for). Widened again, it comes back.
    ok(await gql(UPDATE_PLAN, dates(walk, today + timedelta(days=1), today + timedelta(days=3)), token=t["pm1"]),
       "updatePatrolPlan", "plan")
    assert [r.state for r in await runs(owner_engine, walk["plan"])] == ["cancelled"] + ["scheduled"] * 3 + ["cancelled"] * 4
    ok(await gql(UPDATE_PLAN, dates(walk, today), token=t["pm1"]), "updatePatrolPlan", "plan")
    back = await runs(owner_engine, walk["plan"])
    assert [r.state for r in back] == ["scheduled"] * 8 and [r.id for r in back] == [r.id for r in made]
    assert {r.timers for r in back} == {4}

    # Today's run under way, and then done: new dates without today leave it as it is.
    run = to_global_id("PatrolRun", back[0].id)
    ok(await gql(START, {"r": run}, token=t["walker"]), "startPatrolRun", "run")
    ok(await gql(UPDATE_PLAN, dates(walk, today + timedelta(days=1)), token=t["pm1"]), "updatePatrolPlan", "plan")
    assert [r.state for r in await runs(owner_engine, walk["plan"])] == ["in_progress"] + ["scheduled"] * 7
    ok(await gql(UPDATE_PLAN, dates(walk, today), token=t["pm1"]), "updatePatrolPlan", "plan")
    ok(await gql(FINISH, {"r": run}, token=t["walker"]), "finishPatrolRun", "run")
    ok(await gql(UPDATE_PLAN, dates(walk, today + timedelta(days=1), today + timedelta(days=1)), token=t["pm1"]),
       "updatePatrolPlan", "plan")  # a one-day plan: the same first and last day
    assert [r.state for r in await runs(owner_engine, walk["plan"])] == ["done", "scheduled"] + ["cancelled"] * 6
    assert await audited(owner_engine, org, "patrol.plan.updated") == 6


async def test_dates_that_make_no_span_are_refused_and_another_project_changes_nothing(gql, walk, platform, owner_engine):
    t, today = walk["t"], beijing_today()
    await sweep(platform)
    made = await runs(owner_engine, walk["plan"])
    for body in (dates(walk, today + timedelta(days=2), today + timedelta(days=1)),  # the end before the start
                 dates(walk, today - timedelta(days=9), today - timedelta(days=1))):  # a new end already past
        e = refused(await gql(UPDATE_PLAN, body, token=t["pm1"]), "updatePatrolPlan")
        assert (e["code"], e["field"], e["reason"]) == ("VALIDATION", "endsOn", "PATROL_PLAN_DATES"), e
    for token in (t["pm2"], t["stranger"]):
        e = refused(await gql(UPDATE_PLAN, dates(walk, today + timedelta(days=5)), token=token), "updatePatrolPlan")
        assert (e["code"], e["field"]) == ("NOT_FOUND", "planId")
    assert await runs(owner_engine, walk["plan"]) == made


async def test_a_point_added_joins_the_runs_not_started_only(gql, walk, platform, owner_engine):
    t = walk["t"]
    await sweep(platform)
    made = await runs(owner_engine, walk["plan"])
    today = to_global_id("PatrolRun", made[0].id)
    ok(await gql(START, {"r": today}, token=t["walker"]), "startPatrolRun", "run")
    point = ok(await gql(POINT, {"i": {"routeId": walk["route"], "name": "2号楼配电室"}}, token=t["pm1"]), "addPatrolPoint", "point")
    assert point["position"] == 3
    # The seven runs to come count three points; today's, under way, keeps its two.
    assert [r.points_total for r in await runs(owner_engine, walk["plan"])] == [2] + [3] * 7
    shown = data(await gql(ROUTES, {"p": walk["p1"]}, token=t["walker"]), "patrolRoutes")[0]["points"]
    assert all(p["addedAt"] for p in shown)
    # The new point is not part of the run under way: its code is refused there; the old ones are fine.
    e = refused(await gql(VISIT, {"i": {"runId": today, "result": "OK", "pointToken": point["qrContent"]}}, token=t["walker"]),
                "recordPatrolVisit")
    assert (e["code"], e["field"], e["reason"]) == ("INVALID_STATE", "pointToken", "PATROL_POINT_NOT_IN_RUN"), e
    for p in walk["points"]:
        v = data(await gql(VISIT, {"i": {"runId": today, "result": "OK", "pointId": p["id"]}}, token=t["walker"]),
                 "recordPatrolVisit")
        assert v["errors"] == [], v
    done = ok(await gql(FINISH, {"r": today}, token=t["walker"]), "finishPatrolRun", "run")
    assert (done["pointsDone"], done["pointsTotal"]) == (2, 2)
    # A further point: the done run keeps its two, the runs to come count four; the sweep changes nothing.
    ok(await gql(POINT, {"i": {"routeId": walk["route"], "name": "地库排水泵"}}, token=t["pm1"]), "addPatrolPoint", "point")
    await sweep(platform)
    assert [r.points_total for r in await runs(owner_engine, walk["plan"])] == [2] + [4] * 7
    # Another project's manager and another company add nothing to the route.
    for token in (t["pm2"], t["stranger"]):
        e = refused(await gql(POINT, {"i": {"routeId": walk["route"], "name": "外人"}}, token=token), "addPatrolPoint")
        assert e["code"] == "NOT_FOUND"
    assert [r.points_total for r in await runs(owner_engine, walk["plan"])] == [2] + [4] * 7
