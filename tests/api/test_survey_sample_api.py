"""样本 `surveySample` (docs/resident-services.md §7.2, §11 录入): a campaign's sampled flats in order
of building and number, whether and how each answered, only those still to answer, a flat by part
of its label; another company's and another project's callers NOT_FOUND; one statement whatever
the sample's size."""

from __future__ import annotations

import pytest

from api.graphql.types.node import to_global_id
from tests.api.test_survey_api import CREATE_C, ENTER, OPEN, answers, body, campaign_input, made_questionnaire
from tests.conftest import add_user
from tests.integration.survey_setup import populate

SAMPLE = """query($c: ID!, $pending: Boolean! = false, $flat: String) {
  surveySample(campaignId: $c, pending: $pending, flat: $flat) { unitId label buildingName answered channelLabel submittedAt } }"""


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    for name, role, project in (("hq", "hq_quality", None), ("pm1", "project_manager", "P1"), ("agent1", "cs_agent", "P1"),
                                ("tech1", "technician", "P1"), ("pm2", "project_manager", "P2")):
        await add_user(owner_engine, org, name, role, project)
    return {n: await gql.login(org, n) for n in ("hq", "pm1", "agent1", "tech1", "pm2")} | {
        "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"])}


async def _opened(gql, desk, owner_engine, org):
    flats = await populate(owner_engine, org, "P1", {"2号楼": 2, "1号楼": 3}, empty=1)
    q = await made_questionnaire(gql, desk["hq"])
    cid = body(await gql(CREATE_C, {"p": desk["p1"], "i": campaign_input(q["id"], sample={"mode": "ALL"})}, token=desk["pm1"]),
               "createSurveyCampaign")["campaign"]["id"]
    assert body(await gql(OPEN, {"c": cid}, token=desk["pm1"]), "openSurveyCampaign")["errors"] == []
    return flats, q, cid


async def test_the_sample_in_order_answered_pending_and_by_flat(gql, desk, owner_engine, org):
    flats, q, cid = await _opened(gql, desk, owner_engine, org)
    listed = body(await gql(SAMPLE, {"c": cid}, token=desk["agent1"]), "surveySample")
    # Every occupied flat (the empty ones are never sampled), building by building, number by number.
    assert [x["label"] for x in listed] == ["1号楼 101", "1号楼 102", "1号楼 103", "2号楼 101", "2号楼 102"]
    assert {x["unitId"] for x in listed} == {to_global_id("Unit", u) for us in flats.values() for u in us}
    assert not any(x["answered"] or x["channelLabel"] or x["submittedAt"] for x in listed)

    first = listed[0]["unitId"]
    assert body(await gql(ENTER, {"c": cid, "u": first, "a": answers(q)}, token=desk["agent1"]), "enterSurveyResponse")["errors"] == []
    listed = body(await gql(SAMPLE, {"c": cid}, token=desk["agent1"]), "surveySample")
    assert (listed[0]["answered"], listed[0]["channelLabel"]) == (True, "电话 Phone") and listed[0]["submittedAt"]
    pending = body(await gql(SAMPLE, {"c": cid, "pending": True}, token=desk["agent1"]), "surveySample")
    assert [x["label"] for x in pending] == ["1号楼 102", "1号楼 103", "2号楼 101", "2号楼 102"]
    assert [x["label"] for x in body(await gql(SAMPLE, {"c": cid, "flat": "2号楼 10"}, token=desk["agent1"]), "surveySample")] \
        == ["2号楼 101", "2号楼 102"]
    assert [x["label"] for x in body(await gql(SAMPLE, {"c": cid, "flat": "１０３"}, token=desk["agent1"]), "surveySample")] \
        == ["1号楼 103"]  # full-width digits as an IME types them
    assert body(await gql(SAMPLE, {"c": cid, "flat": "%"}, token=desk["agent1"]), "surveySample") == []  # no wildcard


async def test_another_company_or_project_finds_no_sample(gql, desk, owner_engine, org):
    _, _, cid = await _opened(gql, desk, owner_engine, org)
    for who in ("stranger", "pm2"):  # another company's admin; P2's project manager
        reply = await gql(SAMPLE, {"c": cid}, token=desk[who])
        assert reply["data"] is None and reply["errors"][0]["extensions"]["code"] == "NOT_FOUND", who
    tech = await gql(SAMPLE, {"c": cid}, token=desk["tech1"])  # no survey:read
    assert tech["data"] is None and tech["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_sample_list_is_one_statement_whatever_its_size(platform, gql, desk, owner_engine, org):
    from tests.api.conftest import statements_of

    _, _, cid = await _opened(gql, desk, owner_engine, org)
    one = await statements_of(platform, org, '{ surveySample(campaignId: "%s", flat: "1号楼 101") { label } }' % cid)
    five = await statements_of(platform, org, '{ surveySample(campaignId: "%s") { label answered } }' % cid)
    assert one == five
