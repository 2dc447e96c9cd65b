"""失约 A broken promise stays broken: after `missPromise` the resolution target reads breached,
then met late — never met — however soon the new promise is kept, and the case is late for the
on-time rate."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import settle
from tests.api.test_sla import fired, run, sla, travel
from workers.sla_scanner import fire_due

TOTALS = "{ orgOverview { totals { resolved: onTimeRate brokenPromises } } }"


def resolution(view: dict) -> str:
    return next(t["state"] for t in view["sla"]["targets"] if t["target"] == "resolve")


async def test_a_broken_promise_is_late_whatever_the_new_promise_says(gql, desk, owner_engine, org, platform, stub_worker):
    agent, tech = desk["agent"][1], desk["tech"][1]
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
    await run(gql, agent, "commitCase", c)
    await travel(owner_engine, c, "resolve", "remind", "l1", "l2", "l3")
    await fire_due(platform)
    assert await fired(owner_engine, c) == 4
    promised = (await gql("query($c: ID!) { case(id: $c) { commitmentDue } }", {"c": c}, token=agent))["data"]["case"]
    new_due = (datetime.fromisoformat(promised["commitmentDue"]) + timedelta(hours=5)).isoformat()
    await run(gql, agent, "missPromise", c, ", apology: $a, reason: $r, remedy: $m, newDue: $d",
              a=("String!", "非常抱歉"), r=("String!", "配件缺货"), m=("String!", "免收上门费"), d=("DateTime!", new_due))
    assert resolution(await sla(gql, agent, c)) == "BREACHED", "the promise was broken: a new one does not undo it"

    await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", a=("ID", desk["tech"][0]))
    for m in ("acceptCase", "startCase"):
        await run(gql, tech, m, c)
    await run(gql, tech, "resolveCase", c, ", result: $r", r=("String!", "已修复"))
    assert resolution(await sla(gql, agent, c)) == "MET_LATE", "resolved before the new deadline, but after a broken promise"

    await settle(platform, stub_worker)
    totals = (await gql(TOTALS, token=await gql.login(org)))["data"]["orgOverview"]["totals"]
    assert totals == {"resolved": 0.0, "brokenPromises": 1}
