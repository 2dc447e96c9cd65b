"""值班 The duty roster through GraphQL: planning shifts, the dispatch proposal, dispatching to
whoever is on duty, escalation when nobody is, and the tenant wall around all of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.conftest import CASE_FIELDS, REGISTER, case_input
from tests.conftest import add_user

ADD = ("mutation($i: DutyShiftInput!, $k: String) { addDutyShift(input: $i, idempotencyKey: $k) { "
       "shift { id startsAt endsAt user { username } department { kind } } errors { code field message } } }")
REMOVE = "mutation($s: ID!) { removeDutyShift(shiftId: $s) { removedShiftId errors { code field message } } }"
ROSTER = ("query($p: ID!, $f: DateTime!, $t: DateTime!) { dutyRoster(projectId: $p, from: $f, to: $t) "
          "{ id user { username } department { kind } } }")
PROPOSALS = "query($c: ID!) { dispatchProposals(caseId: $c) { user { username } department { kind } openCases matchesCategory } }"
DISPATCH = ("mutation($c: ID!, $d: ID) { dispatchCase(caseId: $c, departmentId: $d, onDuty: true) { %s } }" % CASE_FIELDS)


async def department(owner_engine, org, project: str, kind: str) -> str:
    async with owner_engine.connect() as conn:
        dept = (await conn.execute(text("SELECT id FROM departments WHERE project_id = :p AND kind = :k"),
                                   {"p": org.projects[project], "k": kind})).scalar_one()
    return to_global_id("Department", dept)


def shift(desk, dept: str, user: str, start: datetime, hours: float = 8) -> dict:
    return {"projectId": desk["project"], "departmentId": dept, "userId": user,
            "startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=hours)).isoformat()}


async def committed_case(gql, desk, **over) -> str:
    case = (await gql(REGISTER, {"i": case_input(desk, **over)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]
    body = await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case["id"]}, token=desk["agent"][1])
    assert body["data"]["commitCase"]["errors"] == []
    return case["id"]


async def test_a_supervisor_plans_shifts_and_dispatch_goes_to_the_lightest_load_on_duty(gql, desk, owner_engine, org):
    now = datetime.now(UTC)
    engineering = await department(owner_engine, org, "P1", "engineering")
    tech2 = to_global_id("User", await add_user(owner_engine, org, "tech2", "technician", "P1"))
    for user in (desk["tech"][0], tech2):
        added = (await gql(ADD, {"i": shift(desk, engineering, user, now - timedelta(hours=1))}, token=desk["sup"][1]))
        assert added["data"]["addDutyShift"]["errors"] == [], added
    roster = await gql(ROSTER, {"p": desk["project"], "f": now.isoformat(), "t": (now + timedelta(days=1)).isoformat()},
                       token=desk["agent"][1])
    assert sorted(s["user"]["username"] for s in roster["data"]["dutyRoster"]) == ["tech", "tech2"]

    # tech already carries a case; a water leak goes to engineering, to tech2.
    first = await committed_case(gql, desk, category="water_power")
    sent = await gql("mutation($c: ID!, $a: ID) { dispatchCase(caseId: $c, assigneeId: $a) { errors { code } } }",
                     {"c": first, "a": desk["tech"][0]}, token=desk["agent"][1])
    assert sent["data"]["dispatchCase"]["errors"] == []
    second = await committed_case(gql, desk, category="water_power")
    proposals = (await gql(PROPOSALS, {"c": second}, token=desk["agent"][1]))["data"]["dispatchProposals"]
    assert [(p["user"]["username"], p["openCases"], p["matchesCategory"]) for p in proposals] == [
        ("tech2", 0, True), ("tech", 1, True)]
    dispatched = (await gql(DISPATCH, {"c": second}, token=desk["agent"][1]))["data"]["dispatchCase"]
    assert dispatched["errors"] == [] and dispatched["case"]["state"] == "DISPATCHED"
    assert dispatched["case"]["assignee"]["username"] == "tech2"


async def test_nobody_on_duty_is_not_a_dead_end_the_case_escalates(gql, desk, owner_engine, org):
    case_id = await committed_case(gql, desk)
    assert (await gql(PROPOSALS, {"c": case_id}, token=desk["agent"][1]))["data"]["dispatchProposals"] == []
    body = (await gql(DISPATCH, {"c": case_id}, token=desk["agent"][1]))["data"]["dispatchCase"]
    assert body["case"]["state"] == "COMMITTED"
    assert [(e["code"], e["field"]) for e in body["errors"]] == [("NOBODY_ON_DUTY", "onDuty")]
    timeline = await gql("query($c: ID!) { caseTimeline(caseId: $c) { action note } }", {"c": case_id}, token=desk["agent"][1])
    assert {"action": "case.undispatchable", "note": "无人值班 Nobody on duty"} in timeline["data"]["caseTimeline"]
    async with owner_engine.connect() as conn:
        topics = (await conn.execute(text("SELECT topic FROM outbox WHERE org_id = :o AND payload->>'case_id' = :c"),
                                     {"o": org.org_id, "c": str(from_global_id(case_id, "Case"))})).scalars().all()
    assert "case.undispatchable" in topics


async def test_shift_rules_are_enforced_with_coded_errors(gql, desk, owner_engine, org):
    now = datetime.now(UTC)
    engineering = await department(owner_engine, org, "P1", "engineering")
    other_project_dept = await department(owner_engine, org, "P2", "engineering")
    sup = desk["sup"][1]

    async def error(i: dict, token=sup) -> tuple:
        body = await gql(ADD, {"i": i}, token=token)
        errors = body["data"]["addDutyShift"]["errors"]
        return (errors[0]["code"], errors[0]["field"]) if errors else None

    assert await error(shift(desk, engineering, desk["tech"][0], now, hours=-1)) == ("VALIDATION", "endsAt")
    assert await error(shift(desk, engineering, desk["tech"][0], now, hours=30)) == ("VALIDATION", "endsAt")
    assert await error(shift(desk, engineering, desk["tech"][0], now - timedelta(days=2))) == ("VALIDATION", "endsAt")
    assert await error(shift(desk, other_project_dept, desk["tech"][0], now)) == ("NOT_FOUND", "departmentId")
    stranger = to_global_id("User", await add_user(owner_engine, org, "p2tech", "technician", "P2"))
    assert await error(shift(desk, engineering, stranger, now)) == ("VALIDATION", "userId")
    assert await error(shift(desk, engineering, desk["tech"][0], now)) is None
    assert await error(shift(desk, engineering, desk["tech"][0], now + timedelta(hours=4))) == ("CONFLICT", "startsAt")
    # Agents plan no shifts.
    body = await gql(ADD, {"i": shift(desk, engineering, desk["tech"][0], now + timedelta(days=1))}, token=desk["agent"][1])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM duty_shifts WHERE org_id = :o"), {"o": org.org_id})).scalar() == 1


async def test_removing_a_shift_and_replaying_its_key(gql, desk, owner_engine, org):
    engineering = await department(owner_engine, org, "P1", "engineering")
    i = shift(desk, engineering, desk["tech"][0], datetime.now(UTC))
    first = (await gql(ADD, {"i": i, "k": "roster-1"}, token=desk["sup"][1]))["data"]["addDutyShift"]
    again = (await gql(ADD, {"i": i, "k": "roster-1"}, token=desk["sup"][1]))["data"]["addDutyShift"]
    assert first["shift"]["id"] == again["shift"]["id"] and again["errors"] == []
    other = (await gql(ADD, {"i": {**i, "endsAt": i["startsAt"]}, "k": "roster-1"}, token=desk["sup"][1]))["data"]["addDutyShift"]
    assert other["errors"][0]["code"] == "VALIDATION"  # checked before the key: bad input never claims it
    removed = (await gql(REMOVE, {"s": first["shift"]["id"]}, token=desk["sup"][1]))["data"]["removeDutyShift"]
    assert removed == {"removedShiftId": first["shift"]["id"], "errors": []}
    gone = (await gql(REMOVE, {"s": first["shift"]["id"]}, token=desk["sup"][1]))["data"]["removeDutyShift"]
    assert gone["errors"][0]["code"] == "NOT_FOUND"


async def test_the_roster_stays_inside_its_company(gql, desk, owner_engine, org, other_org):
    now = datetime.now(UTC)
    engineering = await department(owner_engine, org, "P1", "engineering")
    added = (await gql(ADD, {"i": shift(desk, engineering, desk["tech"][0], now)}, token=desk["sup"][1]))["data"]["addDutyShift"]
    case_id = await committed_case(gql, desk)
    outsider = await gql.login(other_org)
    window = {"p": desk["project"], "f": now.isoformat(), "t": (now + timedelta(days=1)).isoformat()}
    assert (await gql(ROSTER, window, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(PROPOSALS, {"c": case_id}, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    removed = (await gql(REMOVE, {"s": added["shift"]["id"]}, token=outsider))["data"]["removeDutyShift"]
    assert removed["errors"][0]["code"] == "NOT_FOUND"
    # Their admin cannot put our technician on their roster, nor theirs on ours.
    their_dept = await department(owner_engine, other_org, "P1", "engineering")
    their = {"projectId": to_global_id("Project", other_org.projects["P1"]), "departmentId": their_dept,
             "userId": desk["tech"][0], "startsAt": now.isoformat(), "endsAt": (now + timedelta(hours=8)).isoformat()}
    assert (await gql(ADD, {"i": their}, token=outsider))["data"]["addDutyShift"]["errors"][0]["code"] == "VALIDATION"
    ours = shift(desk, engineering, desk["tech"][0], now + timedelta(days=2))
    assert (await gql(ADD, {"i": ours}, token=outsider))["data"]["addDutyShift"]["errors"][0]["code"] in ("FORBIDDEN", "NOT_FOUND")
    dispatched = (await gql(DISPATCH, {"c": case_id}, token=outsider))["data"]["dispatchCase"]
    assert dispatched["errors"][0]["code"] == "NOT_FOUND"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM duty_shifts WHERE org_id = :o"), {"o": other_org.org_id})).scalar() == 0


MEMBERS = "query($p: ID!) { project(id: $p) { members { id username } } }"


async def test_members_are_the_active_logins_of_the_project_and_stay_behind_the_tenant_wall(gql, desk, owner_engine, org, other_org):
    await add_user(owner_engine, org, "elsewhere", "cs_agent", "P2")
    gone = await add_user(owner_engine, org, "gone", "technician", "P1")
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE users SET active = false WHERE id = :u"), {"u": gone})
    body = await gql(MEMBERS, {"p": desk["project"]}, token=desk["sup"][1])
    assert sorted(m["username"] for m in body["data"]["project"]["members"]) == ["agent", "sup", "tech"]
    assert desk["tech"][0] in [m["id"] for m in body["data"]["project"]["members"]]

    # A technician does not read the people of the project; another company sees no project at all.
    tech = await gql(MEMBERS, {"p": desk["project"]}, token=desk["tech"][1])
    assert tech["errors"][0]["extensions"]["code"] == "FORBIDDEN" and "agent" not in str(tech.get("data"))
    other_admin = await gql.login(other_org)
    other = await gql(MEMBERS, {"p": desk["project"]}, token=other_admin)
    assert other["data"]["project"] is None and "errors" not in other
