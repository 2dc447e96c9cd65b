"""接访轮值 through the API (docs/centre-day.md §3): reception shifts are a manager's, one person's
do not overlap, a front-desk or walk-in case records the manager on reception duty when it was
taken (the registrant when on duty, else the earliest started), and the rota lists each shift's
cases. Another company's and another project's callers see nothing of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.graphql.types.node import to_global_id
from tests.api.conftest import REGISTER, case_input
from tests.api.test_roster import department
from tests.conftest import add_user

ADD_KIND = ("mutation($i: DutyShiftInput!) { addDutyShift(input: $i) { shift { id kind user { username } } "
            "errors { code field message } } }")
CASE = "query($c: ID!) { case(id: $c) { channel receptionManager { username } } }"
ROTA = ("query($p: ID!, $f: DateTime!, $t: DateTime!) { receptionRota(projectId: $p, from: $f, to: $t) "
        "{ shift { id kind user { username } } caseCount cases { id channel } } }")
PROPOSALS = "query($c: ID!) { dispatchProposals(caseId: $c) { user { username } } }"


@pytest.fixture
async def centre(gql, desk, owner_engine, org, other_org):
    users = {"pm1": await add_user(owner_engine, org, "pm1", "project_manager", "P1"),
             "pm2": await add_user(owner_engine, org, "pm2", "project_manager", "P2")}
    return {**desk, **{n: (to_global_id("User", u), await gql.login(org, n)) for n, u in users.items()},
            "cs": await department(owner_engine, org, "P1", "customer_service"),
            "p2": to_global_id("Project", org.projects["P2"]), "stranger": await gql.login(other_org)}


def reception(c, user: str, start: datetime, hours: float = 6) -> dict:
    return {"projectId": c["project"], "departmentId": c["cs"], "userId": user, "kind": "RECEPTION",
            "startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=hours)).isoformat()}


async def add(gql, c, i, token):
    return (await gql(ADD_KIND, {"i": i}, token=token))["data"]["addDutyShift"]


async def register(gql, c, token, **over) -> str:
    body = (await gql(REGISTER, {"i": case_input(c, **over)}, token=token))["data"]["registerCase"]
    assert body["errors"] == [], body
    return body["case"]["id"]


async def test_reception_cases_are_recorded_against_the_manager_on_duty(gql, centre):
    c, now = centre, datetime.now(UTC)
    # A reception shift is a manager's: an agent is refused, so is a manager of another project.
    e = (await add(gql, c, reception(c, c["agent"][0], now - timedelta(hours=2)), c["sup"][1]))["errors"]
    assert [(x["code"], x["field"]) for x in e] == [("VALIDATION", "userId")]
    e = (await add(gql, c, reception(c, c["pm2"][0], now - timedelta(hours=2)), c["sup"][1]))["errors"]
    assert [(x["code"], x["field"]) for x in e] == [("VALIDATION", "userId")]
    pm_shift = await add(gql, c, reception(c, c["pm1"][0], now - timedelta(hours=2)), c["sup"][1])
    assert pm_shift["errors"] == [] and pm_shift["shift"]["kind"] == "RECEPTION"
    sup_shift = await add(gql, c, reception(c, c["sup"][0], now - timedelta(hours=1)), c["sup"][1])
    assert sup_shift["errors"] == []
    # The same person's reception shifts do not overlap; a dispatch shift beside one may.
    e = (await add(gql, c, reception(c, c["pm1"][0], now + timedelta(hours=3)), c["sup"][1]))["errors"]
    assert [(x["code"], x["field"]) for x in e] == [("CONFLICT", "startsAt")]
    dispatch = {**reception(c, c["pm1"][0], now + timedelta(hours=3)), "kind": "DISPATCH"}
    assert (await add(gql, c, dispatch, c["sup"][1]))["errors"] == []

    # The agent is not on reception duty: the earliest-started manager, pm1. The supervisor is: sup.
    # Whatever the caller sends, the case service decides; a phone case has nobody.
    at_desk = await register(gql, c, c["agent"][1], channel="FRONT_DESK")
    walk_in = await register(gql, c, c["sup"][1], channel="WALK_IN")
    phone = await register(gql, c, c["agent"][1], channel="PHONE")
    managers = [(await gql(CASE, {"c": i}, token=c["agent"][1]))["data"]["case"]["receptionManager"] for i in (at_desk, walk_in, phone)]
    assert managers == [{"username": "pm1"}, {"username": "sup"}, None]
    # Reception duty is not dispatch duty: nobody is proposed for the case.
    assert (await gql(PROPOSALS, {"c": at_desk}, token=c["sup"][1]))["data"]["dispatchProposals"] == []

    window = {"p": c["project"], "f": (now - timedelta(hours=3)).isoformat(), "t": (now + timedelta(hours=12)).isoformat()}
    rota = (await gql(ROTA, window, token=c["agent"][1]))["data"]["receptionRota"]
    assert [(s["shift"]["user"]["username"], s["caseCount"], [x["id"] for x in s["cases"]]) for s in rota] == [
        ("pm1", 1, [at_desk]), ("sup", 1, [walk_in])]
    assert all(s["shift"]["kind"] == "RECEPTION" for s in rota)


async def test_reception_rota_behind_the_company_and_project_walls(gql, centre):
    c, now = centre, datetime.now(UTC)
    assert (await add(gql, c, reception(c, c["pm1"][0], now - timedelta(hours=1)), c["sup"][1]))["errors"] == []
    # A front-desk case in another project is not P1's reception duty.
    other = await register(gql, c, c["pm2"][1], channel="FRONT_DESK", projectId=c["p2"], unitId=None, publicArea="大堂")
    assert (await gql(CASE, {"c": other}, token=c["pm2"][1]))["data"]["case"]["receptionManager"] is None
    window = {"p": c["project"], "f": (now - timedelta(hours=3)).isoformat(), "t": (now + timedelta(hours=3)).isoformat()}
    for token in (c["stranger"], c["pm2"][1]):
        r = await gql(ROTA, window, token=token)
        assert r["data"] is None and r["errors"][0]["extensions"]["code"] == "NOT_FOUND", r
        e = await gql(ADD_KIND, {"i": reception(c, c["pm1"][0], now + timedelta(hours=8))}, token=token)
        assert e["data"]["addDutyShift"]["shift"] is None and e["data"]["addDutyShift"]["errors"][0]["code"] == "NOT_FOUND", e
    # P2's rota is empty: P1's shift is not there.
    p2 = {**window, "p": c["p2"]}
    assert (await gql(ROTA, p2, token=c["pm2"][1]))["data"]["receptionRota"] == []
