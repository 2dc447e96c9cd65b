"""月度考评 through GraphQL: scores from the rollups with the company's weights, standard scores
across the company's projects, ranks; headquarters only; each company its own."""

from __future__ import annotations

import pytest

from api.graphql.types.node import to_global_id
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import run, settle
from tests.conftest import add_unit

CARDS = "{ scorecards { project { code } score standardScore rank trend month { received responseRate resolutionRate } } }"
WEIGHTS = "mutation($i: KpiWeightsInput!) { setKpiWeights(input: $i) { weights { response resolution } errors { code field } } }"


async def test_projects_are_scored_standardised_and_ranked(gql, desk, owner_engine, org, other_org, platform, stub_worker):
    agent = desk["agent"][1]
    unit, _ = await add_unit(owner_engine, org, "P2", "101")
    p2 = {"projectId": to_global_id("Project", org.projects["P2"]), "unitId": to_global_id("Unit", unit)}
    admin = await gql.login(org)
    for _ in range(2):
        c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
        await run(gql, agent, "commitCase", c)
        assert (await gql(REGISTER, {"i": case_input(desk, **p2)}, token=admin))["data"]["registerCase"]["errors"] == []
    await settle(platform, stub_worker)

    cards = (await gql(CARDS, token=admin))["data"]["scorecards"]
    # P1: response 1.0 and resolution 0.0 with data → (25·1 + 25·0) / 50 = 50; P2: resolution 0.0 only → 0.
    assert [(c["project"]["code"], c["score"], c["rank"]) for c in cards] == [("P1", 50.0, 1), ("P2", 0.0, 2)]
    assert [c["standardScore"] for c in cards] == [pytest.approx(60.0), pytest.approx(40.0)]
    assert cards[0]["trend"] is None and cards[0]["month"] == {"received": 2, "responseRate": 1.0, "resolutionRate": 0.0}

    body = (await gql(WEIGHTS, {"i": {"response": 0}}, token=admin))["data"]["setKpiWeights"]
    assert body == {"weights": {"response": 0.0, "resolution": 25.0}, "errors": []}
    cards = (await gql(CARDS, token=admin))["data"]["scorecards"]
    assert [(c["score"], c["standardScore"], c["rank"]) for c in cards] == [(0.0, 50.0, 1), (0.0, 50.0, 1)]
    bad = (await gql(WEIGHTS, {"i": {"response": -5}}, token=admin))["data"]["setKpiWeights"]
    assert bad["errors"] == [{"code": "VALIDATION", "field": "weights"}]

    # A project's own staff do not see a ranking of projects they cannot see.
    assert (await gql(CARDS, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(WEIGHTS, {"i": {}}, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    outsider = await gql.login(other_org)
    theirs = (await gql(CARDS, token=outsider))["data"]["scorecards"]
    assert [(c["project"]["code"], c["score"], c["rank"]) for c in theirs] == [("P1", None, None), ("P2", None, None)]
    assert (await gql("{ kpiWeights { response } }", token=outsider))["data"]["kpiWeights"] == {"response": 25.0}
