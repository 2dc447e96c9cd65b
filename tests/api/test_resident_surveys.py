"""满意度调查 on the resident's side (docs/resident-services.md §7.4): a resident sees the open
campaigns that sampled one of their flats and answers for that flat once; another flat's sample,
another project's or company's campaign and a closed one are NOT_FOUND and nothing is written; a
resident never reads the campaign's figures, the results, or a neighbour's answers."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.graphql.types.node import to_global_id
from tenants.context import TenantScope
from tests.api._resident import NEIGHBOUR_PHONE, make_company, token_for
from tests.api.test_survey_api import CLOSE, CREATE_C, OPEN, answers, campaign_input, made_questionnaire
from tests.conftest import make_org
from tests.integration.survey_setup import populate

MINE = """query($p: Boolean) { residentSelf { surveys(pending: $p) { campaignId title closesAt unitId unitLabel answered
  questions { id kind required options { id label } } } } }"""
ANSWER = """mutation($c: ID!, $u: ID!, $a: [SurveyAnswerInput!]!, $k: String) {
  residentAnswerSurvey(campaignId: $c, unitId: $u, answers: $a, idempotencyKey: $k) { responseId errors { code field reason message } } }"""
RESULTS = "query($c: ID!) { surveyResults(campaignId: $c) { score } }"


@pytest.fixture
async def company(owner_engine, gql, platform):
    return await make_company(owner_engine, gql, platform.cipher)


async def campaign(gql, admin: str, project: str, q: dict, **kw) -> str:
    made = await gql(CREATE_C, {"p": project, "i": campaign_input(q["id"], sample={"mode": "ALL"}, **kw)}, token=admin)
    cid = made["data"]["createSurveyCampaign"]["campaign"]["id"]
    assert (await gql(OPEN, {"c": cid}, token=admin))["data"]["openSurveyCampaign"]["errors"] == []
    return cid


def errors(reply) -> list[tuple[str, str | None]]:
    assert "errors" not in reply, reply
    return [(e["code"], e["field"]) for e in reply["data"]["residentAnswerSurvey"]["errors"]]


async def test_a_resident_answers_for_their_sampled_flat_once(gql, company, owner_engine, platform):
    org = company.org
    admin = await gql.login(org)
    p1, p2 = (to_global_id("Project", org.projects[p]) for p in ("P1", "P2"))
    q = await made_questionnaire(gql, admin)
    open_one = await campaign(gql, admin, p1, q)
    closed = await campaign(gql, admin, p1, q, title="已结束的调查", cooldownDays=0)
    await gql(CLOSE, {"c": closed}, token=admin)
    other_project = await campaign(gql, admin, p2, q)
    stranger = await make_org(owner_engine)
    await populate(owner_engine, stranger, "P1", {"A座": 2})
    stranger_admin = await gql.login(stranger)
    theirs = await campaign(gql, stranger_admin, to_global_id("Project", stranger.projects["P1"]),
                            await made_questionnaire(gql, stranger_admin))

    zhang, sun = await token_for(gql, company), await token_for(gql, company, NEIGHBOUR_PHONE)
    mine, neighbours = company.gid("Unit", "301"), company.gid("Unit", "302")
    seen = (await gql(MINE, token=zhang))["data"]["residentSelf"]["surveys"]
    assert [(s["campaignId"], s["unitId"], s["answered"]) for s in seen] == [(open_one, mine, False)]
    assert [x["kind"] for x in seen[0]["questions"]] == ["RATING", "SINGLE", "MULTIPLE", "TEXT"]
    assert [o["label"] for o in seen[0]["questions"][1]["options"]] == ["及时", "一般", "不及时"]

    # Refused, and nothing written: a neighbour's flat, a closed campaign, another project's, another company's.
    for c, unit, field in ((open_one, neighbours, "unitId"), (closed, mine, "campaignId"), (other_project, mine, "campaignId"),
                           (theirs, mine, "campaignId")):
        assert errors(await gql(ANSWER, {"c": c, "u": unit, "a": answers(q)}, token=zhang)) == [("NOT_FOUND", field)], (c, unit)
    assert errors(await gql(ANSWER, {"c": open_one, "u": mine, "a": answers(q)[:1]}, token=zhang)) == [("VALIDATION", "answers")]
    foreign = [answers(q)[0], {"questionId": q["questions"][1]["id"], "optionIds": [q["questions"][2]["options"][0]["id"]]}]
    assert errors(await gql(ANSWER, {"c": open_one, "u": mine, "a": foreign}, token=zhang)) == [("VALIDATION", "answers")]
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM survey_responses WHERE org_id = :o"),
                                   {"o": org.org_id})).scalar_one() == 0

    for key in ("a1", "a1"):  # the same key again: the same response
        assert errors(await gql(ANSWER, {"c": open_one, "u": mine, "a": answers(q, 4, 1), "k": key}, token=zhang)) == []
    again = (await gql(ANSWER, {"c": open_one, "u": mine, "a": answers(q)}, token=zhang))["data"]["residentAnswerSurvey"]["errors"]
    assert [(e["code"], e["reason"]) for e in again] == [("CONFLICT", "ALREADY_ANSWERED")]
    assert (await gql(MINE, token=zhang))["data"]["residentSelf"]["surveys"] == []
    answered = (await gql(MINE, {"p": False}, token=zhang))["data"]["residentSelf"]["surveys"]
    assert [s["answered"] for s in answered] == [True]
    # The neighbour answers for their own flat, not for zhang's.
    assert errors(await gql(ANSWER, {"c": open_one, "u": mine, "a": answers(q)}, token=sun)) == [("NOT_FOUND", "unitId")]
    assert errors(await gql(ANSWER, {"c": open_one, "u": neighbours, "a": answers(q, 2, 2)}, token=sun)) == []
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT unit_id, channel, resident_id, score FROM survey_responses WHERE org_id = :o "
                                        "ORDER BY score"), {"o": org.org_id})).all()
    assert [(r.unit_id, r.channel, r.resident_id) for r in rows] == [
        (company.units["302"], "app", company.residents["sun"]), (company.units["301"], "app", company.residents["zhang"])]

    # No results for a resident, nor the campaign's figures or a neighbour's answers below the API.
    refused = await gql(RESULTS, {"c": open_one}, token=zhang)
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    scope = TenantScope(org.org_id, frozenset({org.projects["P1"]}), f"resident:{company.residents['zhang']}",
                        resident_id=company.residents["zhang"])
    async with platform.transaction(scope) as conn:
        assert [r[0] for r in await conn.execute(text("SELECT unit_id FROM survey_responses"))] == [company.units["301"]]
        assert (await conn.execute(text("SELECT count(*) FROM survey_answers"))).scalar_one() == 2
        # their flat in both campaigns that sampled it (the open one and the closed one), no other flat
        assert {r[0] for r in await conn.execute(text("SELECT unit_id FROM survey_samples"))} == {company.units["301"]}
    with pytest.raises(DBAPIError) as denied:
        async with platform.transaction(scope) as conn:
            await conn.execute(text("SELECT score FROM survey_campaigns"))
    assert denied.value.orig.sqlstate == "42501"
    staff = await gql(ANSWER, {"c": open_one, "u": mine, "a": answers(q)}, token=admin)  # a staff token is no resident
    assert staff["data"] is None and staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
