"""The SLA set-up through GraphQL: the policy matrix with project overrides, the ladder, the
company's calendar days and the years it is asked to enter — with coded errors and the wall."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.conftest import REGISTER, case_input
from api.graphql.types.node import to_global_id
from tests.conftest import add_user

POLICIES = "query($p: ID) { slaPolicies(projectId: $p) { kind severity clock commitMinutes arriveMinutes resolveMinutes overridden } }"
SET = ("mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { policies { kind severity commitMinutes overridden } "
       "errors { code field } } }")
REMOVE = ("mutation($p: ID!) { removeSlaOverride(projectId: $p, kind: REPAIR, severity: GENERAL) { "
          "policies { kind severity commitMinutes overridden } errors { code field } } }")
LADDER = ("mutation($i: EscalationLadderInput!) { setEscalationLadder(input: $i) { ladder { remindPercent l3Percent } "
          "errors { code field } } }")
DAY = ("mutation($d: Date!, $w: Boolean!, $n: String!) { setCalendarDay(day: $d, working: $w, name: $n) "
       "{ days { day working name } errors { code field } } }")


def cell(policies: list[dict], kind: str = "REPAIR", severity: str = "GENERAL") -> dict:
    return next(p for p in policies if p["kind"] == kind and p["severity"] == severity)


def policy(project: str | None = None, **minutes) -> dict:
    base = {"kind": "REPAIR", "severity": "GENERAL", "commitMinutes": 20, "arriveMinutes": 60, "resolveMinutes": 720,
            "visitMinutes": 2880}
    return {**base, **({"projectId": project} if project else {}), **minutes}


async def test_company_defaults_project_overrides_and_new_cases_follow_them(gql, desk, owner_engine, org):
    admin = await gql.login(org)
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm = await gql.login(org, "pm1")
    defaults = (await gql(POLICIES, {}, token=admin))["data"]["slaPolicies"]
    assert len(defaults) == 21 and cell(defaults) == {"kind": "REPAIR", "severity": "GENERAL", "clock": "ALWAYS",
                                                      "commitMinutes": 30, "arriveMinutes": 120, "resolveMinutes": 1440,
                                                      "overridden": False}
    assert (await gql(SET, {"i": policy()}, token=admin))["data"]["setSlaPolicy"]["errors"] == []
    # A project manager tunes their own project, not the company.
    refused = (await gql(SET, {"i": policy(commitMinutes=5)}, token=pm))["data"]["setSlaPolicy"]["errors"]
    assert refused == [{"code": "FORBIDDEN", "field": None}]
    mine = (await gql(SET, {"i": policy(desk["project"], commitMinutes=10)}, token=pm))["data"]["setSlaPolicy"]
    assert cell(mine["policies"]) == {"kind": "REPAIR", "severity": "GENERAL", "commitMinutes": 10, "overridden": True}
    assert cell((await gql(POLICIES, {}, token=admin))["data"]["slaPolicies"])["commitMinutes"] == 20
    body = await gql(SET, {"i": policy(desk["project"])}, token=desk["agent"][1])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    c = (await gql(REGISTER, {"i": case_input(desk, kind="REPAIR")}, token=desk["agent"][1]))["data"]["registerCase"]["case"]["id"]
    targets = (await gql("query($c: ID!) { case(id: $c) { sla { targets { target minutesLeft } } } }", {"c": c},
                         token=desk["agent"][1]))["data"]["case"]["sla"]["targets"]
    assert 8 <= targets[0]["minutesLeft"] <= 10, "the project's override applies to its new cases"

    back = (await gql(REMOVE, {"p": desk["project"]}, token=pm))["data"]["removeSlaOverride"]
    assert cell(back["policies"])["overridden"] is False and cell(back["policies"])["commitMinutes"] == 20
    again = (await gql(REMOVE, {"p": desk["project"]}, token=pm))["data"]["removeSlaOverride"]
    assert again["errors"] == [{"code": "NOT_FOUND", "field": "projectId"}]


async def test_bad_policies_and_ladders_are_refused_and_nothing_changes(gql, desk, org):
    admin = await gql.login(org)
    bad = [
        (policy(commitMinutes=200), "arriveMinutes"),
        (policy(commitMinutes=0), "commitMinutes"),
        (policy(visitMinutes=10**7), "visitMinutes"),
        (policy(clock="WORKING_DAYS"), "clock"),
    ]
    for value, field in bad:
        errors = (await gql(SET, {"i": value}, token=admin))["data"]["setSlaPolicy"]["errors"]
        assert errors == [{"code": "VALIDATION", "field": field}], value
    assert cell((await gql(POLICIES, {}, token=admin))["data"]["slaPolicies"])["commitMinutes"] == 30
    ladder = (await gql(LADDER, {"i": {"remindPercent": 50, "l1Percent": 100, "l2Percent": 90, "l3Percent": 200}}, token=admin))
    assert ladder["data"]["setEscalationLadder"]["errors"] == [{"code": "VALIDATION", "field": "l1Percent"}]
    ok = (await gql(LADDER, {"i": {"remindPercent": 50, "l1Percent": 100, "l2Percent": 120, "l3Percent": 150}}, token=admin))
    assert ok["data"]["setEscalationLadder"] == {"ladder": {"remindPercent": 50, "l3Percent": 150}, "errors": []}


async def test_a_deadline_in_an_uncovered_year_asks_for_the_calendar_once(gql, desk, owner_engine, org):
    admin = await gql.login(org)
    sixty_days = {"kind": "INQUIRY", "severity": "GENERAL", "clock": "WORKING_DAYS", "commitMinutes": 1440,
                  "arriveMinutes": 1440, "resolveMinutes": 60 * 1440, "visitMinutes": 2 * 1440}
    assert (await gql(SET, {"i": sixty_days}, token=admin))["data"]["setSlaPolicy"]["errors"] == []
    for _ in range(2):
        body = await gql(REGISTER, {"i": case_input(desk, kind="INQUIRY")}, token=desk["agent"][1])
        assert body["data"]["registerCase"]["errors"] == [], body
        c = body["data"]["registerCase"]["case"]["id"]
    targets = (await gql("query($c: ID!) { case(id: $c) { sla { targets { target provisional } } } }", {"c": c},
                         token=admin))["data"]["case"]["sla"]["targets"]
    assert {t["target"]: t["provisional"] for t in targets} == {"commit": False, "arrive": False, "resolve": True}
    assert (await gql("{ calendarGaps }", token=admin))["data"]["calendarGaps"] == [2027]
    async with owner_engine.connect() as conn:
        asked = (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'calendar.missing'"),
                                    {"o": org.org_id})).scalar()
    assert asked == 1, "asked once, not once per case"
    entered = (await gql(DAY, {"d": "2027-02-06", "w": True, "n": "春节调休"}, token=admin))["data"]["setCalendarDay"]
    assert entered == {"days": [{"day": "2027-02-06", "working": True, "name": "春节调休"}], "errors": []}
    assert (await gql("{ calendarGaps }", token=admin))["data"]["calendarGaps"] == []
    bad = (await gql(DAY, {"d": "2027-02-07", "w": False, "n": " "}, token=admin))["data"]["setCalendarDay"]["errors"]
    assert bad == [{"code": "VALIDATION", "field": "name"}]
    gone = "mutation { removeCalendarDay(day: \"2027-03-01\") { errors { code field } } }"
    assert (await gql(gone, token=admin))["data"]["removeCalendarDay"]["errors"] == [{"code": "NOT_FOUND", "field": "day"}]


async def test_the_sla_set_up_stays_inside_its_company(gql, desk, org, other_org):
    admin, outsider = await gql.login(org), await gql.login(other_org)
    assert (await gql(SET, {"i": policy(desk["project"], commitMinutes=7)}, token=admin))["data"]["setSlaPolicy"]["errors"] == []
    assert (await gql(DAY, {"d": "2027-01-01", "w": False, "n": "元旦"}, token=admin))["data"]["setCalendarDay"]["errors"] == []
    # Not the company defaults, as if the project were theirs: NOT_FOUND.
    assert (await gql(POLICIES, {"p": desk["project"]}, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    into_ours = (await gql(SET, {"i": policy(desk["project"], commitMinutes=1)}, token=outsider))["data"]["setSlaPolicy"]["errors"]
    assert into_ours[0]["code"] == "NOT_FOUND"
    assert (await gql(REMOVE, {"p": desk["project"]}, token=outsider))["data"]["removeSlaOverride"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql("{ calendarDays(year: 2027) { day } }", token=outsider))["data"]["calendarDays"] == []
    ours = (await gql(POLICIES, {"p": desk["project"]}, token=admin))["data"]["slaPolicies"]
    assert cell(ours)["commitMinutes"] == 7


async def test_project_working_hours_are_set_by_its_manager_only(gql, desk, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm, outsider = await gql.login(org, "pm1"), await gql.login(other_org)
    hours = "mutation($p: ID!, $a: Time!, $b: Time!) { setProjectWorkingHours(projectId: $p, opens: $a, closes: $b) { " \
            "project { workOpens workCloses } errors { code field } } }"
    done = (await gql(hours, {"p": desk["project"], "a": "09:00:00", "b": "18:00:00"}, token=pm))["data"]["setProjectWorkingHours"]
    assert done == {"project": {"workOpens": "09:00:00", "workCloses": "18:00:00"}, "errors": []}
    backwards = (await gql(hours, {"p": desk["project"], "a": "18:00:00", "b": "09:00:00"}, token=pm))["data"]["setProjectWorkingHours"]
    assert backwards["errors"] == [{"code": "VALIDATION", "field": "closes"}]
    other_project = {"p": to_global_id("Project", org.projects["P2"])}
    assert (await gql(hours, {**other_project, "a": "08:00:00", "b": "17:00:00"}, token=pm))["data"]["setProjectWorkingHours"][
        "errors"][0]["code"] == "NOT_FOUND"  # out of the manager's reach, answered as another company's
    theirs = (await gql(hours, {"p": desk["project"], "a": "00:00:00", "b": "23:00:00"}, token=outsider))["data"]["setProjectWorkingHours"]
    assert theirs["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql("query($p: ID!) { project(id: $p) { workOpens } }", {"p": desk["project"]}, token=pm))["data"]["project"] == {
        "workOpens": "09:00:00"}
