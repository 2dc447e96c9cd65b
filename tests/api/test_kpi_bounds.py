"""Rates a headquarters reader can believe: a case reworked after a dissatisfied return visit is
still one case that reached its visit, so the return-visit rate stays within 0–100%."""

from __future__ import annotations

from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import run, settle

TOTALS = "{ orgOverview { totals { returnVisitRate firstContactRate satisfactionRate } } }"


async def test_a_reworked_case_keeps_the_return_visit_rate_within_100_percent(gql, desk, org, platform, stub_worker):
    agent, tech = desk["agent"][1], desk["tech"][1]
    for satisfaction in ("SATISFIED", "DISSATISFIED"):
        c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
        await run(gql, agent, "commitCase", c)
        await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", a=("ID", desk["tech"][0]))
        for m in ("acceptCase", "startCase"):
            await run(gql, tech, m, c)
        await run(gql, tech, "resolveCase", c, ", result: $r", r=("String!", "已完成"))
        await run(gql, agent, "confirmCase", c)
        await run(gql, agent, "returnVisit", c, f", satisfaction: {satisfaction}, score: 3")  # dissatisfied: rework
    await settle(platform, stub_worker)
    totals = (await gql(TOTALS, token=await gql.login(org)))["data"]["orgOverview"]["totals"]
    # Both reached their visit and were visited; the reworked one was not resolved the first time.
    assert totals == {"returnVisitRate": 1.0, "firstContactRate": 0.5, "satisfactionRate": 0.5}
