"""承诺 The default promise and the supervisor-only ceiling come from the case's SLA policy — kind ×
severity, the project's override, its clock and calendar — never from a constant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.conftest import REGISTER, case_input

SET = "mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { errors { code field } } }"
COMMIT = ("mutation($c: ID!, $d: DateTime) { commitCase(caseId: $c, due: $d) { case { commitmentDue } "
          "errors { code field message } } }")
RESOLVE_DUE = "query($c: ID!) { case(id: $c) { receivedAt sla { targets { target dueAt } } } }"


async def _policy(gql, token, desk, **minutes) -> None:
    cell = {"projectId": desk["project"], "kind": "REQUEST", "severity": "GENERAL", "commitMinutes": 1,
            "arriveMinutes": 1, "resolveMinutes": 2, "visitMinutes": 2880, **minutes}
    assert (await gql(SET, {"i": cell}, token=token))["data"]["setSlaPolicy"]["errors"] == []


async def _register(gql, desk) -> str:
    return (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]["id"]


async def _resolution_deadline(gql, token, c: str) -> tuple[datetime, datetime]:
    case = (await gql(RESOLVE_DUE, {"c": c}, token=token))["data"]["case"]
    due = next(t["dueAt"] for t in case["sla"]["targets"] if t["target"] == "resolve")
    return datetime.fromisoformat(case["receivedAt"]), datetime.fromisoformat(due)


async def _commit(gql, token, c: str, due: datetime | None = None) -> dict:
    return (await gql(COMMIT, {"c": c, "d": due.isoformat() if due else None}, token=token))["data"]["commitCase"]


async def test_the_default_promise_is_the_projects_resolution_deadline(gql, desk, org):
    await _policy(gql, await gql.login(org), desk)
    agent = desk["agent"][1]
    c = await _register(gql, desk)
    received, deadline = await _resolution_deadline(gql, agent, c)
    assert deadline == received + timedelta(minutes=2)
    committed = await _commit(gql, agent, c)
    assert committed["errors"] == []
    assert datetime.fromisoformat(committed["case"]["commitmentDue"]) == deadline, "not the 24 hours of a constant"


async def test_a_promise_later_than_the_policy_needs_a_supervisor(gql, desk, org):
    await _policy(gql, await gql.login(org), desk)
    agent, sup = desk["agent"][1], desk["sup"][1]
    later = datetime.now(UTC) + timedelta(hours=20)
    refused = await _commit(gql, agent, await _register(gql, desk), later)
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("FORBIDDEN", None)]
    granted = await _commit(gql, sup, await _register(gql, desk), later)
    assert granted["errors"] == [] and datetime.fromisoformat(granted["case"]["commitmentDue"]) == later


async def test_the_default_promise_follows_the_policys_working_day_clock(gql, desk, org):
    await _policy(gql, await gql.login(org), desk, clock="WORKING_DAYS", commitMinutes=1440, arriveMinutes=1440,
                  resolveMinutes=3 * 1440)
    agent = desk["agent"][1]
    c = await _register(gql, desk)
    received, deadline = await _resolution_deadline(gql, agent, c)
    assert deadline >= received + timedelta(days=3), "three working days, weekends and holidays left out"
    assert datetime.fromisoformat((await _commit(gql, agent, c))["case"]["commitmentDue"]) == deadline
    # An agent may promise sooner than the policy, never later.
    sooner = await _commit(gql, agent, await _register(gql, desk), datetime.now(UTC) + timedelta(hours=30))
    assert sooner["errors"] == []
    too_late = await _commit(gql, agent, await _register(gql, desk), deadline + timedelta(days=30))
    assert [e["code"] for e in too_late["errors"]] == ["FORBIDDEN"]
