"""满意度调查 through the API (docs/resident-services.md §7, §8, §9.2): each staff query and mutation
with its payloads and codes; who may do what; one response per flat, required questions, options
of their own question; results by building, dimension and question; another company's and
another project's ids NOT_FOUND alike and nothing changed. Through the real app, as the
application role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user
from tests.integration.survey_setup import populate

Q_FIELDS = "questionnaire { id title active questions { id kind weight options { id label score } } } errors { code field message reason }"
CREATE_Q = f"mutation($i: SurveyQuestionnaireInput!) {{ createSurveyQuestionnaire(input: $i) {{ {Q_FIELDS} }} }}"
SWITCH_Q = f"mutation($q: ID!, $a: Boolean!) {{ setSurveyQuestionnaireActive(questionnaireId: $q, active: $a) {{ {Q_FIELDS} }} }}"
C_FIELDS = "campaign { id state sampleSize answered score seed } errors { code field message reason }"
CREATE_C = f"mutation($p: ID!, $i: SurveyCampaignInput!) {{ createSurveyCampaign(projectId: $p, input: $i) {{ {C_FIELDS} }} }}"
OPEN = f"mutation($c: ID!) {{ openSurveyCampaign(campaignId: $c) {{ {C_FIELDS} }} }}"
CLOSE = f"mutation($c: ID!) {{ closeSurveyCampaign(campaignId: $c) {{ {C_FIELDS} }} }}"
CANCEL = f"mutation($c: ID!) {{ cancelSurveyCampaign(campaignId: $c, reason: \"重新安排\") {{ {C_FIELDS} }} }}"
ENTER = """mutation($c: ID!, $u: ID!, $a: [SurveyAnswerInput!]!, $k: String) {
  enterSurveyResponse(campaignId: $c, unitId: $u, channel: PHONE, answers: $a, idempotencyKey: $k) {
    responseId errors { code field message reason } } }"""
QUESTIONNAIRES = "{ surveyQuestionnaires { id title questions { id } } }"
CAMPAIGNS = "query($p: ID!) { surveyCampaigns(projectId: $p) { id state questionnaireTitle } }"
RESULTS = """query($c: ID!) { surveyResults(campaignId: $c) { sampleSize responses responseRate score
  byBuilding { buildingName sampleSize responses responseRate score }
  byDimension { dimension answers score }
  byQuestion { position kind answers meanRating score options { label count share } texts } } }"""
NODE = 'query($n: ID!) { node(id: $n) { ... on SurveyCampaign { id state } } }'

QUESTIONNAIRE = {"title": "2026 年度满意度", "intro": "感谢参与", "questions": [
    {"kind": "RATING", "text": "您对物业服务总体是否满意？", "dimension": "OVERALL", "weight": 40},
    {"kind": "SINGLE", "text": "公共区域保洁是否及时？", "dimension": "CLEANING", "weight": 20,
     "options": [{"label": "及时", "score": 100}, {"label": "一般", "score": 60}, {"label": "不及时", "score": 0}]},
    {"kind": "MULTIPLE", "text": "您希望改进哪些方面？", "required": False, "options": [{"label": "绿化"}, {"label": "停车"}]},
    {"kind": "TEXT", "text": "其他意见和建议", "required": False}]}


def body(reply, name):
    assert "errors" not in reply, reply
    return reply["data"][name]


def campaign_input(questionnaire_id: str, **kw):
    now = datetime.now(UTC)
    return {"questionnaireId": questionnaire_id, "title": "四季度满意度调查", "opensAt": (now - timedelta(hours=1)).isoformat(),
            "closesAt": (now + timedelta(days=14)).isoformat(), "sample": {"mode": "PERCENT", "value": 50}, "seed": "s1"} | kw


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    for name, role, project in (("hq", "hq_quality", None), ("pm1", "project_manager", "P1"), ("agent1", "cs_agent", "P1"),
                                ("tech1", "technician", "P1"), ("pm2", "project_manager", "P2")):
        await add_user(owner_engine, org, name, role, project)
    return {n: await gql.login(org, n) for n in ("admin", "hq", "pm1", "agent1", "tech1", "pm2")} | {
        "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"]),
        "p2": to_global_id("Project", org.projects["P2"])}


async def made_questionnaire(gql, token) -> dict:
    out = body(await gql(CREATE_Q, {"i": QUESTIONNAIRE}, token=token), "createSurveyQuestionnaire")
    assert out["errors"] == [], out
    return out["questionnaire"]


def answers(q: dict, rating: int = 5, option: int = 0, **extra) -> list[dict]:
    qs = q["questions"]
    return [{"questionId": qs[0]["id"], "rating": rating}, {"questionId": qs[1]["id"], "optionIds": [qs[1]["options"][option]["id"]]},
            *extra.get("more", [])]


async def test_questionnaires_campaigns_answers_and_results(gql, client, desk, owner_engine, org):
    flats = await populate(owner_engine, org, "P1", {"1号楼": 4, "2号楼": 2})
    # Questionnaires are HQ's: a project manager holds survey:manage on the project only.
    refused = body(await gql(CREATE_Q, {"i": QUESTIONNAIRE}, token=desk["pm1"]), "createSurveyQuestionnaire")["errors"]
    assert [e["code"] for e in refused] == ["FORBIDDEN"]
    q = await made_questionnaire(gql, desk["hq"])
    assert [x["weight"] for x in q["questions"]] == [40, 20, 0, 0] and len(q["questions"][1]["options"]) == 3
    same = body(await gql(CREATE_Q, {"i": QUESTIONNAIRE}, token=desk["hq"]), "createSurveyQuestionnaire")["errors"]
    assert [(e["code"], e["field"]) for e in same] == [("CONFLICT", "title")]
    bad = QUESTIONNAIRE | {"title": "计分的文字题", "questions": [{"kind": "TEXT", "text": "建议", "weight": 10}]}
    assert [e["code"] for e in body(await gql(CREATE_Q, {"i": bad}, token=desk["hq"]), "createSurveyQuestionnaire")["errors"]] \
        == ["VALIDATION"]
    assert [x["title"] for x in body(await gql(QUESTIONNAIRES, token=desk["agent1"]), "surveyQuestionnaires")] == ["2026 年度满意度"]
    tech = await gql(QUESTIONNAIRES, token=desk["tech1"])  # a technician holds no survey:read
    assert tech["data"] is None and tech["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    made = body(await gql(CREATE_C, {"p": desk["p1"], "i": campaign_input(q["id"])}, token=desk["pm1"]), "createSurveyCampaign")
    assert made["errors"] == [] and made["campaign"]["state"] == "DRAFT" and made["campaign"]["sampleSize"] is None
    cid = made["campaign"]["id"]
    no = await gql(OPEN, {"c": cid}, token=desk["agent1"])  # an agent enters answers but does not run campaigns
    assert no["data"] is None and no["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    opened = body(await gql(OPEN, {"c": cid}, token=desk["pm1"]), "openSurveyCampaign")["campaign"]
    assert (opened["state"], opened["sampleSize"]) == ("OPEN", 3)  # 2 of 4, 1 of 2
    twice = body(await gql(OPEN, {"c": cid}, token=desk["pm1"]), "openSurveyCampaign")["errors"][0]
    assert (twice["code"], twice["reason"]) == ("INVALID_STATE", "CAMPAIGN_NOT_DRAFT")
    async with owner_engine.connect() as conn:
        sampled = [r[0] for r in await conn.execute(text("SELECT unit_id FROM survey_samples WHERE campaign_id = "
                                                         "(SELECT id FROM survey_campaigns WHERE org_id = :o)"), {"o": org.org_id})]
    outside = next(u for us in flats.values() for u in us if u not in sampled)
    first, second = (to_global_id("Unit", u) for u in sampled[:2])

    def enter(unit, a, key=None):
        return gql(ENTER, {"c": cid, "u": unit, "a": a, "k": key}, token=desk["agent1"])

    ok = body(await enter(first, answers(q, 5, 0, more=[{"questionId": q["questions"][3]["id"], "text": "电梯常坏"}]), "e1"),
              "enterSurveyResponse")
    assert ok["errors"] == [] and ok["responseId"]
    assert body(await enter(first, answers(q, 5, 0, more=[{"questionId": q["questions"][3]["id"], "text": "电梯常坏"}]), "e1"),
                "enterSurveyResponse")["responseId"] == ok["responseId"]  # the same key: the same response
    again = body(await enter(first, answers(q, 1, 2)), "enterSurveyResponse")["errors"][0]
    assert (again["code"], again["reason"], again["field"]) == ("CONFLICT", "ALREADY_ANSWERED", "unitId")
    missing = body(await enter(second, answers(q)[:1]), "enterSurveyResponse")["errors"][0]
    assert (missing["code"], missing["field"]) == ("VALIDATION", "answers") and "第 2 题" in missing["message"]
    foreign = [{"questionId": q["questions"][0]["id"], "rating": 4},
               {"questionId": q["questions"][1]["id"], "optionIds": [q["questions"][2]["options"][0]["id"]]}]
    wrong = body(await enter(second, foreign), "enterSurveyResponse")["errors"][0]
    assert wrong["code"] == "VALIDATION" and "第 2 题" in wrong["message"] and "自己的选项" in wrong["message"]
    not_sampled = body(await enter(to_global_id("Unit", outside), answers(q)), "enterSurveyResponse")["errors"][0]
    assert (not_sampled["code"], not_sampled["field"]) == ("NOT_FOUND", "unitId")
    assert body(await enter(second, answers(q, 3, 1)), "enterSurveyResponse")["errors"] == []

    results = body(await gql(RESULTS, {"c": cid}, token=desk["agent1"]), "surveyResults")
    # (40×100 + 20×100)/60 = 100 and (40×50 + 20×60)/60 = 53.33 → 76.67 live
    assert (results["sampleSize"], results["responses"], results["responseRate"], results["score"]) == (3, 2, 0.6667, "76.67")
    assert sum(b["sampleSize"] for b in results["byBuilding"]) == 3
    assert {d["dimension"]: d["score"] for d in results["byDimension"]} == {"OVERALL": "75.00", "CLEANING": "80.00"}
    by_q = {x["position"]: x for x in results["byQuestion"]}
    assert by_q[1]["meanRating"] == "4.00" and by_q[2]["options"][0] == {"label": "及时", "count": 1, "share": 0.5}
    assert by_q[4]["texts"] == ["电梯常坏"] and by_q[3]["answers"] == 0

    closed = body(await gql(CLOSE, {"c": cid}, token=desk["pm1"]), "closeSurveyCampaign")["campaign"]
    assert (closed["state"], closed["score"], closed["answered"]) == ("CLOSED", "76.67", 2)
    late = body(await enter(to_global_id("Unit", sampled[2]), answers(q)), "enterSurveyResponse")["errors"][0]
    assert (late["code"], late["reason"]) == ("INVALID_STATE", "CAMPAIGN_NOT_OPEN")
    gone = body(await gql(CANCEL, {"c": cid}, token=desk["pm1"]), "cancelSurveyCampaign")["errors"][0]
    assert (gone["code"], gone["reason"]) == ("INVALID_STATE", "CAMPAIGN_NOT_OPEN")
    assert [c["state"] for c in body(await gql(CAMPAIGNS, {"p": desk["p1"]}, token=desk["agent1"]), "surveyCampaigns")] == ["CLOSED"]

    await exported(client, desk, cid)

    # A switched-off questionnaire takes no new campaign.
    assert body(await gql(SWITCH_Q, {"q": q["id"], "a": False}, token=desk["hq"]),
                "setSurveyQuestionnaireActive")["questionnaire"]["active"] is False
    off = body(await gql(CREATE_C, {"p": desk["p1"], "i": campaign_input(q["id"])}, token=desk["pm1"]), "createSurveyCampaign")
    assert [(e["code"], e["field"]) for e in off["errors"]] == [("VALIDATION", "questionnaireId")]
    async with owner_engine.connect() as conn:
        actions = [r[0] for r in await conn.execute(text("SELECT action FROM audit_log WHERE org_id = :o AND action LIKE 'survey.%' "
                                                         "ORDER BY at, id"), {"o": org.org_id})]
    assert actions == ["survey.questionnaire_created", "survey.campaign_created", "survey.campaign_opened",
                       "survey.response_entered", "survey.response_entered", "survey.campaign_closed", "survey.exported",
                       "survey.questionnaire_switched"]


async def test_another_company_and_another_project_find_nothing_and_change_nothing(gql, desk, owner_engine, org, other_org):
    flats = await populate(owner_engine, org, "P1", {"1号楼": 2})
    q = await made_questionnaire(gql, desk["admin"])
    cid = body(await gql(CREATE_C, {"p": desk["p1"], "i": campaign_input(q["id"], sample={"mode": "ALL"})}, token=desk["pm1"]),
               "createSurveyCampaign")["campaign"]["id"]
    body(await gql(OPEN, {"c": cid}, token=desk["pm1"]), "openSurveyCampaign")
    unit = to_global_id("Unit", flats["1号楼"][0])
    theirs = await made_questionnaire(gql, desk["stranger"])  # the same title in another company is no conflict
    their_project = to_global_id("Project", other_org.projects["P1"])

    for who in ("stranger", "pm2"):  # another company's admin; P2's project manager (survey:* on P2 only)
        token = desk[who]
        for query, name, extra in ((OPEN, "openSurveyCampaign", {}), (CLOSE, "closeSurveyCampaign", {}),
                                   (CANCEL, "cancelSurveyCampaign", {}),
                                   (ENTER, "enterSurveyResponse", {"u": unit, "a": answers(q)})):
            e = body(await gql(query, {"c": cid, **extra}, token=token), name)["errors"]
            assert [x["code"] for x in e] == ["NOT_FOUND"], (who, name, e)
        assert body(await gql(NODE, {"n": cid}, token=token), "node") is None
        for query, variables in ((CAMPAIGNS, {"p": desk["p1"]}), (RESULTS, {"c": cid})):
            reply = await gql(query, variables, token=token)
            assert reply["data"] is None and reply["errors"][0]["extensions"]["code"] == "NOT_FOUND", (who, query)
        into = body(await gql(CREATE_C, {"p": desk["p1"], "i": campaign_input(q["id"])}, token=token), "createSurveyCampaign")
        assert [(x["code"], x["field"]) for x in into["errors"]] == [("NOT_FOUND", "projectId")]
    # The stranger sees only its own questionnaire; ours is not found to it, in a campaign of its own or switched.
    stranger = desk["stranger"]
    assert [x["id"] for x in body(await gql(QUESTIONNAIRES, token=stranger), "surveyQuestionnaires")] == [theirs["id"]]
    e = body(await gql(CREATE_C, {"p": their_project, "i": campaign_input(q["id"])}, token=stranger), "createSurveyCampaign")["errors"]
    assert [(x["code"], x["field"]) for x in e] == [("NOT_FOUND", "questionnaireId")]
    e = body(await gql(SWITCH_Q, {"q": q["id"], "a": False}, token=stranger), "setSurveyQuestionnaireActive")["errors"]
    assert [(x["code"], x["field"]) for x in e] == [("NOT_FOUND", "questionnaireId")]
    # A P1 campaign cannot take a flat of another project or company.
    their_flats = await populate(owner_engine, other_org, "P1", {"A座": 1})
    p2_flats = await populate(owner_engine, org, "P2", {"二期1栋": 1})
    for other in (their_flats["A座"][0], p2_flats["二期1栋"][0]):
        e = body(await gql(ENTER, {"c": cid, "u": to_global_id("Unit", other), "a": answers(q)}, token=desk["pm1"]),
                 "enterSurveyResponse")["errors"]
        assert [(x["code"], x["field"]) for x in e] == [("NOT_FOUND", "unitId")]
    async with owner_engine.connect() as conn:
        state = (await conn.execute(text("SELECT state, (SELECT count(*) FROM survey_responses r WHERE r.org_id = c.org_id), "
                                         "(SELECT count(*) FROM survey_questionnaires x WHERE x.org_id = c.org_id AND x.active) "
                                         "FROM survey_campaigns c WHERE org_id = :o"), {"o": org.org_id})).one()
        their_campaigns = (await conn.execute(text("SELECT count(*) FROM survey_campaigns WHERE org_id = :o"),
                                              {"o": other_org.org_id})).scalar_one()
    assert tuple(state) == ("open", 0, 1) and their_campaigns == 0


async def exported(client, desk, cid: str) -> None:
    """GET /export/surveys/{id}.xlsx: the figures, the buildings and each response with its answers."""
    import io

    import openpyxl

    path = f"/export/surveys/{cid}.xlsx"
    r = await client.get(path, headers={"authorization": f"Bearer {desk['agent1']}"})
    assert r.status_code == 200, r.text
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    summary = {row[0].value: row[1].value for row in book["概况 Summary"].iter_rows()}
    assert (summary["样本户数 Sample"], summary["已答户数 Responses"], summary["得分 Score"]) == ("3", "2", "76.67")
    answers_sheet = [[c.value for c in row] for row in book["答卷 Responses"].iter_rows(min_row=2)]
    assert sorted((row[3], row[5], row[6], row[7], row[9]) for row in answers_sheet) == [
        ("电话 Phone", "100.00", "5", "及时", "电梯常坏"), ("电话 Phone", "53.33", "3", "一般", "")]
    for who, status in (("tech1", 403), ("stranger", 404), ("pm2", 404)):
        r = await client.get(path, headers={"authorization": f"Bearer {desk[who]}"})
        assert r.status_code == status, (who, r.text)


async def test_lists_cost_the_same_statements_for_1_or_3(platform, gql, desk, org):
    from tests.api.conftest import statements_of

    query = ("{ surveyQuestionnaires { id questions { id options { id } } } surveyCampaigns(projectId: \"%s\") "
             "{ id questionnaireTitle answered } }" % desk["p1"])
    costs, made = [], 0
    for n in (1, 3):
        while made < n:
            made += 1
            q = body(await gql(CREATE_Q, {"i": QUESTIONNAIRE | {"title": f"问卷{made}"}}, token=desk["admin"]),
                     "createSurveyQuestionnaire")["questionnaire"]
            body(await gql(CREATE_C, {"p": desk["p1"], "i": campaign_input(q["id"])}, token=desk["pm1"]), "createSurveyCampaign")
        costs.append(await statements_of(platform, org, query))
    assert costs[0] == costs[1], costs
