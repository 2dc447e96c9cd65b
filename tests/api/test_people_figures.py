"""量化考核 through the API (docs/centre-day.md §7): cases walked through their states by several
people give each person's and each department's month as counted by hand, the rows the `kpi`
consumer maintained equal a rebuild from the cases, and a project's staffing gives its costs.
Another company's and another project's callers see and change nothing of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.kpi.rollups import rebuild
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import differences, run, settle
from tests.api.test_reception_rota_api import ADD_KIND
from tests.api.test_roster import department
from tests.api.test_staff_visits import VISIT
from tests.conftest import add_user

COUNTS = ("firstReceived takenAtReception handled resolved resolvedOnTime visited satisfied basicallySatisfied dissatisfied "
          "brokenPromises rework visitsDone")
PEOPLE = f"query($p: ID!) {{ peopleFigures(projectId: $p) {{ user {{ username }} {COUNTS} resolutionRate reworkRate }} }}"
DEPARTMENTS = f"query($p: ID!) {{ departmentFigures(projectId: $p) {{ departmentId departmentName people {COUNTS} }} }}"
COSTS = ("query($p: ID!, $m: Date) { projectCosts(projectId: $p, month: $m) { month households headcount labourCostFen "
         "otherCostFen costPerHouseholdFen householdsPerHead } }")
STAFFING = ("mutation($p: ID!, $m: Date!, $h: Int!, $l: Fen!, $o: Fen!) { setProjectStaffing(projectId: $p, month: $m, "
            "headcount: $h, labourCostFen: $l, otherCostFen: $o) { costs { headcount costPerHouseholdFen householdsPerHead } "
            "errors { code field message } } }")


async def person_rows(owner_engine, org_id) -> dict[tuple, dict]:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT * FROM kpi_person_month WHERE org_id = :o"), {"o": org_id})
        return {(r.project_id, r.month, r.user_id, r.department_id):
                {k: v for k, v in r._mapping.items() if k not in ("org_id", "updated_at")} for r in rows}


@pytest.fixture
async def people(gql, desk, owner_engine, org, other_org):
    users = {"tech2": await add_user(owner_engine, org, "tech2", "technician", "P1"),
             "pm1": await add_user(owner_engine, org, "pm1", "project_manager", "P1"),
             "pm2": await add_user(owner_engine, org, "pm2", "project_manager", "P2"),
             "agent2": await add_user(owner_engine, org, "agent2", "cs_agent", "P2")}
    return {**desk, **{n: (to_global_id("User", u), await gql.login(org, n)) for n, u in users.items()},
            "eng": await department(owner_engine, org, "P1", "engineering"),
            "cleaning": await department(owner_engine, org, "P1", "cleaning"),
            "cs": await department(owner_engine, org, "P1", "customer_service"),
            "p2": to_global_id("Project", org.projects["P2"]), "stranger": await gql.login(other_org)}


async def new(gql, c, token, **over) -> str:
    body = (await gql(REGISTER, {"i": case_input(c, **over)}, token=token))["data"]["registerCase"]
    assert body["errors"] == [], body
    return body["case"]["id"]


async def handled_by(gql, c, case: str, tech: str, dept: str) -> None:
    await run(gql, c["agent"][1], "commitCase", case)
    await run(gql, c["agent"][1], "dispatchCase", case, ", assigneeId: $a, departmentId: $d",
              a=("ID", c[tech][0]), d=("ID", c[dept]))
    for m in ("acceptCase", "startCase"):
        await run(gql, c[tech][1], m, case)
    await run(gql, c[tech][1], "resolveCase", case, ", result: $r", r=("String!", "已完成"))


async def test_each_persons_month_as_counted_and_equal_to_a_rebuild(gql, people, owner_engine, org, platform, stub_worker):
    c = people
    agent, sup = c["agent"][1], c["sup"][1]
    # pm1 is at reception: the supervisor's front-desk case is taken on pm1's duty.
    shift = {"projectId": c["project"], "departmentId": c["cs"], "userId": c["pm1"][0], "kind": "RECEPTION",
             "startsAt": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
             "endsAt": (datetime.now(UTC) + timedelta(hours=4)).isoformat()}
    assert (await gql(ADD_KIND, {"i": shift}, token=sup))["data"]["addDutyShift"]["errors"] == []
    a, b, d = await new(gql, c, agent), await new(gql, c, agent), await new(gql, c, sup, channel="FRONT_DESK")
    await handled_by(gql, c, a, "tech", "eng")  # resolved, confirmed, visited back satisfied: closed
    await run(gql, agent, "confirmCase", a)
    await run(gql, agent, "returnVisit", a, ", satisfaction: SATISFIED, score: 5")
    await handled_by(gql, c, b, "tech", "eng")  # the resident says it is not done: reopened, rework
    await run(gql, agent, "rejectCase", b, ", reason: $r", r=("String!", "还在漏水"))
    await handled_by(gql, c, d, "tech2", "cleaning")  # visited back dissatisfied by the supervisor: rework
    await run(gql, agent, "confirmCase", d)
    await run(gql, sup, "returnVisit", d, ", satisfaction: DISSATISFIED, score: 1")
    await settle(platform, stub_worker)

    admin = await gql.login(org)
    rows = (await gql(PEOPLE, {"p": c["project"]}, token=admin))["data"]["peopleFigures"]
    got = {r["user"]["username"]: {k: v for k, v in r.items() if k != "user" and v}  # zeros left out
           for r in rows}
    assert got == {
        "tech": {"handled": 2, "resolved": 1, "resolvedOnTime": 1, "visited": 1, "satisfied": 1, "rework": 1,
                 "resolutionRate": 0.5, "reworkRate": 0.5},
        "tech2": {"handled": 1, "visited": 1, "dissatisfied": 1, "rework": 1, "reworkRate": 1.0},
        "agent": {"firstReceived": 2, "visitsDone": 1},
        "sup": {"firstReceived": 1, "visitsDone": 1},
        "pm1": {"takenAtReception": 1},
    }, rows
    departments = (await gql(DEPARTMENTS, {"p": c["project"]}, token=admin))["data"]["departmentFigures"]
    assert [(x["departmentId"], x["people"], x["handled"], x["resolved"], x["rework"], x["firstReceived"]) for x in departments] == [
        (c["eng"], 1, 2, 1, 1, 0), (c["cleaning"], 1, 1, 0, 1, 0)]

    # The reopened case done again by another hand: it leaves the first handler's month.
    await run(gql, agent, "dispatchCase", b, ", assigneeId: $a", a=("ID", c["tech2"][0]))
    for m in ("acceptCase", "startCase"):
        await run(gql, c["tech2"][1], m, b)
    await run(gql, c["tech2"][1], "resolveCase", b, ", result: $r", r=("String!", "换了阀门"))
    await settle(platform, stub_worker)
    rows = (await gql(PEOPLE, {"p": c["project"]}, token=admin))["data"]["peopleFigures"]
    assert [(r["user"]["username"], r["handled"], r["resolved"], r["rework"]) for r in rows] == [
        ("tech2", 2, 1, 2), ("tech", 1, 1, 0), ("agent", 0, 0, 0), ("sup", 0, 0, 0), ("pm1", 0, 0, 0)]

    # A praise naming tech2 and a complaint whose staff (tech) the supervisor visits: their rows too.
    await new(gql, c, agent, kind="PRAISE", description="表扬保洁及时", praisedUserIds=[c["tech2"][0]])
    complaint = await new(gql, c, agent, kind="COMPLAINT", description="投诉维修迟到")
    visit = await gql(VISIT, {"c": complaint, "u": c["tech"][0], "o": "DISPUTED", "n": "师傅称路上堵车"}, token=sup)
    assert visit["data"]["recordStaffVisit"]["errors"] == [], visit
    await settle(platform, stub_worker)

    # What the consumer kept, case event by case event, is what the cases say now.
    maintained = await person_rows(owner_engine, org.org_id)
    # tech with engineering and with none (the visit: no staff record), tech2 with cleaning and with none
    # (b dispatched to no department, the praise), agent, sup, pm1
    assert len(maintained) == 7
    assert sorted((r["praise"], r["staff_visits"], r["staff_visits_disputed"]) for r in maintained.values()
                  if r["praise"] or r["staff_visits"]) == [(0, 1, 1), (1, 0, 0)]
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    assert differences(maintained, await person_rows(owner_engine, org.org_id)) == []


def refused(body: dict, field: str) -> str:
    """The code of a refusal, whether the field answered it (payload errors) or the request did."""
    if body.get("data") and body["data"].get(field) and isinstance(body["data"][field], dict) and body["data"][field].get("errors"):
        return body["data"][field]["errors"][0]["code"]
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]


async def test_costs_per_household_and_per_head(gql, people, owner_engine, org):
    c = people
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE projects SET households = 500 WHERE id = :p"), {"p": org.projects["P1"]})
    month = {"p": c["project"], "m": "2026-11-01"}
    assert (await gql(COSTS, month, token=c["pm1"][1]))["data"]["projectCosts"] == {
        "month": "2026-11-01", "households": 500, "headcount": None, "labourCostFen": None, "otherCostFen": None,
        "costPerHouseholdFen": None, "householdsPerHead": None}
    body = (await gql(STAFFING, {**month, "h": 12, "l": 3_000_000, "o": 600_000}, token=c["pm1"][1]))["data"]["setProjectStaffing"]
    assert body == {"costs": {"headcount": 12, "costPerHouseholdFen": 7200.0, "householdsPerHead": 500 / 12}, "errors": []}
    # Entered again, the month is replaced; an amount past 32 bits is taken whole.
    body = (await gql(STAFFING, {**month, "h": 10, "l": 4_000_000_000, "o": 0}, token=c["pm1"][1]))["data"]["setProjectStaffing"]
    assert body["errors"] == [] and body["costs"] == {"headcount": 10, "costPerHouseholdFen": 8_000_000.0, "householdsPerHead": 50.0}
    view = (await gql(COSTS, month, token=c["agent"][1]))["data"]["projectCosts"]
    assert (view["labourCostFen"], view["otherCostFen"]) == (4_000_000_000, 0)
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'staffing.set' AND project_id = :p"),
                                    {"p": org.projects["P1"]})).scalar()
    assert audit == 2

    # Bad input names its field; a day that is not the first is not a month.
    for over, field in (({"m": "2026-11-15"}, "month"), ({"h": -1}, "headcount"), ({"o": -5}, "otherCostFen")):
        e = (await gql(STAFFING, {**month, "h": 10, "l": 0, "o": 0, **over}, token=c["pm1"][1]))["data"]["setProjectStaffing"]
        assert [(x["code"], x["field"]) for x in e["errors"]] == [("VALIDATION", field)], e
    # kpi:staffing is the project manager's and the company admin's, not the agent's.
    assert refused(await gql(STAFFING, {**month, "h": 1, "l": 0, "o": 0}, token=c["agent"][1]), "setProjectStaffing") == "FORBIDDEN"
    admin = await gql.login(org)
    assert (await gql(STAFFING, {**month, "h": 11, "l": 0, "o": 0}, token=admin))["data"]["setProjectStaffing"]["errors"] == []


async def test_people_figures_behind_the_company_and_project_walls(gql, people, owner_engine, org, platform, stub_worker):
    c = people
    await new(gql, c, c["agent"][1])
    await settle(platform, stub_worker)
    month = {"p": c["project"], "m": "2026-11-01"}
    assert (await gql(STAFFING, {**month, "h": 12, "l": 100, "o": 0}, token=c["pm1"][1]))["data"]["setProjectStaffing"]["errors"] == []
    assert len((await gql(PEOPLE, {"p": c["project"]}, token=c["pm1"][1]))["data"]["peopleFigures"]) == 1
    # Another company's admin and another project's manager: P1 is not found, read or written.
    for token in (c["stranger"], c["pm2"][1]):
        for query, field in ((PEOPLE, "peopleFigures"), (DEPARTMENTS, "departmentFigures"), (COSTS, "projectCosts")):
            assert refused(await gql(query, month if query is COSTS else {"p": c["project"]}, token=token), field) == "NOT_FOUND"
        body = await gql(STAFFING, {**month, "h": 1, "l": 0, "o": 0}, token=token)
        assert refused(body, "setProjectStaffing") == "NOT_FOUND", body
    # P2's month is its own: nothing of P1's cases or staffing.
    p2 = {"p": c["p2"], "m": "2026-11-01"}
    assert (await gql(PEOPLE, {"p": c["p2"]}, token=c["pm2"][1]))["data"]["peopleFigures"] == []
    assert (await gql(DEPARTMENTS, {"p": c["p2"]}, token=c["pm2"][1]))["data"]["departmentFigures"] == []
    assert (await gql(COSTS, p2, token=c["pm2"][1]))["data"]["projectCosts"]["headcount"] is None
    async with owner_engine.connect() as conn:
        kept = (await conn.execute(text("SELECT headcount FROM project_staffing WHERE project_id = :p"),
                                   {"p": org.projects["P1"]})).scalar()
    assert kept == 12  # neither refused call changed P1's month
