"""受理时间: a request taken earlier (a relayed call) is entered with the time it was taken — within
24 hours, not in the future beyond 2 minutes of clock skew — and its SLA clocks start there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.conftest import case_input

REGISTER = ("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { receivedAt registeredAt "
            "sla { targets { target dueAt } } } errors { code field message } } }")


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_a_relayed_request_keeps_the_time_it_was_taken_and_its_clocks_start_there(gql, desk):
    taken = (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0)
    body = await gql(REGISTER, {"i": case_input(desk, receivedAt=taken.isoformat())}, token=desk["agent"][1])
    result = body["data"]["registerCase"]
    assert result["errors"] == [], body
    case = result["case"]
    assert _at(case["receivedAt"]) == taken
    assert abs(_at(case["registeredAt"]) - datetime.now(UTC)) < timedelta(minutes=1)
    due = {t["target"]: _at(t["dueAt"]) for t in case["sla"]["targets"]}
    assert due["commit"] - taken == timedelta(minutes=30), "a general request is answered within 30 minutes of being taken"


async def test_without_received_at_a_case_is_taken_when_entered(gql, desk):
    case = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]
    assert case["receivedAt"] == case["registeredAt"]


async def test_a_time_outside_the_window_is_refused_with_its_code(gql, desk):
    now = datetime.now(UTC)
    for when in (now - timedelta(hours=24, minutes=5), now + timedelta(minutes=10)):
        body = await gql(REGISTER, {"i": case_input(desk, receivedAt=when.isoformat())}, token=desk["agent"][1])
        assert body["data"]["registerCase"]["case"] is None
        assert [(e["code"], e["field"]) for e in body["data"]["registerCase"]["errors"]] == [("OUT_OF_WINDOW", "receivedAt")]
    skewed = (await gql(REGISTER, {"i": case_input(desk, receivedAt=(now + timedelta(minutes=1)).isoformat())},
                        token=desk["agent"][1]))["data"]["registerCase"]
    assert skewed["errors"] == [] and _at(skewed["case"]["receivedAt"]) <= datetime.now(UTC), "clock skew counts as now"
