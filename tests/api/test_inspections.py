"""品质检查 through GraphQL: a checklist, an inspection with its hand-computed score, findings
registered as cases of the project (patrol channel, with their audit rows, events and clocks),
the inspection score in the monthly evaluation, who may inspect, bad input, and the wall
between companies."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from api.graphql.types.node import from_global_id, to_global_id
from domain.sla.calendar import CHINA
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import run, settle
from tests.conftest import add_user

CHECKLIST = ("mutation($i: InspectionChecklistInput!, $k: String) { createInspectionChecklist(input: $i, idempotencyKey: $k) { "
             "checklist { id name active maxPoints items { id position title maxPoints departmentKind } } errors { code field } } }")
ACTIVE = ("mutation($c: ID!, $a: Boolean!) { setInspectionChecklistActive(checklistId: $c, active: $a) { "
          "checklist { active } errors { code field } } }")
INSPECTION_FIELDS = ("id projectId state stateLabel inspectedOn totalPoints maxPoints score checklistName note "
                     "results { position points notApplicable comment } "
                     "findings { position description kind severity category caseId case { number channel kind state } }")
RECORD = ("mutation($i: RecordInspectionInput!, $k: String) { recordInspection(input: $i, idempotencyKey: $k) { "
          f"inspection {{ {INSPECTION_FIELDS} }} errors {{ code field message }} }} }}")
LIST = f"query($p: ID, $m: Date) {{ inspections(projectId: $p, month: $m) {{ {INSPECTION_FIELDS} }} }}"
ONE = "query($id: ID!) { inspection(id: $id) { id score } }"
CHECKLISTS = "{ inspectionChecklists { id name items { title } } }"
CARDS = "{ scorecards { project { code } score standardScore trend inspectionScore } }"
ITEMS = [{"title": "大堂地面洁净", "maxPoints": 10, "departmentKind": "cleaning"},
         {"title": "消防通道畅通", "maxPoints": 20, "departmentKind": "security", "guidance": "无堆放、标识清楚"},
         {"title": "电梯轿厢整洁", "maxPoints": 5}]


def today():
    return datetime.now(CHINA).date()


@pytest.fixture
async def quality(owner_engine, org, gql):
    """An HQ quality inspector and a checklist of 35 points: (token, checklist id, item ids)."""
    await add_user(owner_engine, org, "qa", "hq_quality", None)
    token = await gql.login(org, "qa")
    body = (await gql(CHECKLIST, {"i": {"name": "月度品质检查", "items": ITEMS}}, token=token))["data"]["createInspectionChecklist"]
    assert body["errors"] == [] and body["checklist"]["maxPoints"] == 35 and body["checklist"]["active"] is True
    return token, body["checklist"]["id"], [i["id"] for i in body["checklist"]["items"]]


def inspection(org, quality, points, *, project="P1", findings=(), on=None, **over):
    _, checklist, items = quality
    results = [{"itemId": i, "points": p, "comment": "" if p == full else "扣分：现场有问题"} if p is not None
               else {"itemId": i, "notApplicable": True} for i, p, full in zip(items, points, (10, 20, 5), strict=True)]
    return {"projectId": to_global_id("Project", org.projects[project]), "checklistId": checklist,
            "inspectedOn": (on or today()).isoformat(), "results": results, "findings": list(findings), **over}


async def test_an_inspection_is_scored_and_its_findings_become_cases(gql, org, desk, owner_engine, quality):
    token, _, items = quality
    findings = [{"itemId": items[0], "description": "大堂东侧地面油污未清理"},
                {"itemId": items[1], "description": "3号楼消防通道堆放纸箱", "kind": "REQUEST", "severity": "MAJOR",
                 "publicArea": "3号楼一层"}]
    body = (await gql(RECORD, {"i": inspection(org, quality, (8, 15, 5), findings=findings, note="第四季度抽查"), "k": "qa-1"},
                      token=token))["data"]["recordInspection"]
    assert body["errors"] == []
    got = body["inspection"]
    # 8 + 15 + 5 = 28 of 35 → 80.
    assert (got["state"], got["stateLabel"], got["totalPoints"], got["maxPoints"], got["score"]) == (
        "submitted", "已提交 Submitted", 28, 35, pytest.approx(80.0))
    assert [r["points"] for r in got["results"]] == [8, 15, 5]
    first, second = got["findings"]
    assert (first["kind"], first["severity"], first["category"]) == ("REPAIR", "GENERAL", "sanitation")
    assert (second["kind"], second["severity"], second["category"]) == ("REQUEST", "MAJOR", "safety")
    assert first["case"]["channel"] == "PATROL" and first["case"]["state"] == "RECEIVED"
    assert first["case"]["number"].startswith(f"GD-P1-{today():%Y%m%d}-")
    assert second["case"]["kind"] == "REQUEST"

    # The project's team sees the cases in its list, with what the inspection found.
    cases = (await gql("query($f: CaseFilter) { cases(filter: $f) { edges { node { id channel description publicArea } } } }",
                       {"f": {"projectId": desk["project"]}}, token=desk["agent"][1]))["data"]["cases"]["edges"]
    found = {c["node"]["id"]: c["node"] for c in cases}
    assert set(found) == {first["caseId"], second["caseId"]}
    assert found[second["caseId"]]["description"] == (
        f"品质检查「月度品质检查」{today():%Y-%m-%d} 第2项「消防通道畅通」：3号楼消防通道堆放纸箱")
    assert found[second["caseId"]]["publicArea"] == "3号楼一层"
    # Registered like any case: the inspector is the first receiver; audit row, event, SLA clocks.
    case_id = from_global_id(first["caseId"], "Case")
    async with owner_engine.connect() as conn:
        receiver = (await conn.execute(text("SELECT u.username FROM cases c JOIN users u ON u.id = c.first_receiver_id "
                                            "WHERE c.id = :c"), {"c": case_id})).scalar()
        audit = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE entity_id = :c AND action = 'case.received'"),
                                    {"c": case_id})).scalar()
        events = (await conn.execute(text("SELECT count(*) FROM outbox WHERE topic = 'case.received' AND payload->>'case_id' = :c"),
                                     {"c": str(case_id)})).scalar()
        targets = (await conn.execute(text("SELECT count(*) FROM case_targets WHERE case_id = :c"), {"c": case_id})).scalar()
    assert (receiver, audit, events) == ("qa", 1, 1) and targets >= 1

    # The same key and input return the first result, and register nothing twice.
    again = (await gql(RECORD, {"i": inspection(org, quality, (8, 15, 5), findings=findings, note="第四季度抽查"), "k": "qa-1"},
                       token=token))["data"]["recordInspection"]
    assert again["inspection"]["id"] == got["id"]
    listed = (await gql(LIST, {"p": desk["project"]}, token=token))["data"]["inspections"]
    assert [(i["id"], i["note"], len(i["findings"])) for i in listed] == [(got["id"], "第四季度抽查", 2)]
    assert (await gql(ONE, {"id": got["id"]}, token=desk["agent"][1]))["data"]["inspection"]["score"] == pytest.approx(80.0)
    assert [c["name"] for c in (await gql(CHECKLISTS, token=desk["agent"][1]))["data"]["inspectionChecklists"]] == ["月度品质检查"]


async def test_a_draft_is_partial_until_submitted(gql, org, owner_engine, quality):
    token, _, items = quality
    draft = (await gql(RECORD, {"i": {**inspection(org, quality, (8, 15, 5)), "results": [{"itemId": items[0], "points": 8}],
                                      "submit": False}}, token=token))["data"]["recordInspection"]
    assert draft["errors"] == [] and (draft["inspection"]["state"], draft["inspection"]["score"]) == ("draft", None)
    # The draft is the inspector's: the inspected project's manager sees submitted ones only.
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    pm1 = await gql.login(org, "pm1")
    assert [i["state"] for i in (await gql(LIST, {}, token=token))["data"]["inspections"]] == ["draft"]
    assert (await gql(LIST, {}, token=pm1))["data"]["inspections"] == []
    assert (await gql(ONE, {"id": draft["inspection"]["id"]}, token=pm1))["data"]["inspection"] is None
    # A deduction without a reason, on submission.
    bare = inspection(org, quality, (8, 20, 5), draftId=draft["inspection"]["id"])
    bare["results"][0]["comment"] = ""
    assert (await gql(RECORD, {"i": bare}, token=token))["data"]["recordInspection"]["errors"][0]["field"] == "results"
    # The lift does not apply: 8 + 20 of 30.
    done = (await gql(RECORD, {"i": inspection(org, quality, (8, 20, None), draftId=draft["inspection"]["id"])},
                      token=token))["data"]["recordInspection"]
    assert done["errors"] == [] and done["inspection"]["id"] == draft["inspection"]["id"]
    assert (done["inspection"]["totalPoints"], done["inspection"]["maxPoints"], done["inspection"]["score"]) == (
        28, 30, pytest.approx(2800 / 30))
    closed = (await gql(RECORD, {"i": inspection(org, quality, (10, 20, 5), draftId=draft["inspection"]["id"])},
                        token=token))["data"]["recordInspection"]
    assert closed["errors"][0]["code"] == "INVALID_STATE"
    assert (await gql(ONE, {"id": draft["inspection"]["id"]}, token=pm1))["data"]["inspection"]["score"] == pytest.approx(2800 / 30)


async def test_the_inspection_score_enters_the_monthly_evaluation(gql, desk, org, quality, platform, stub_worker):
    token, _, _ = quality
    agent = desk["agent"][1]
    for _ in range(2):
        c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
        await run(gql, agent, "commitCase", c)
    await settle(platform, stub_worker)
    admin = await gql.login(org)
    before = {c["project"]["code"]: c for c in (await gql(CARDS, token=admin))["data"]["scorecards"]}
    # P1: response 1.0 and resolution 0.0 → (25·1 + 25·0) / 50 = 50; P2 received nothing.
    assert (before["P1"]["score"], before["P1"]["inspectionScore"]) == (50.0, None)

    for points in ((8, 15, 5), (10, 20, 5)):  # 80 and 100: the month's mean is 90
        assert (await gql(RECORD, {"i": inspection(org, quality, points)}, token=token))["data"]["recordInspection"]["errors"] == []
    draft = inspection(org, quality, (0, 0, 0), submit=False)
    assert (await gql(RECORD, {"i": draft}, token=token))["data"]["recordInspection"]["errors"] == [], "a draft counts for nothing"
    last_month = today().replace(day=1) - timedelta(days=1)
    assert (await gql(RECORD, {"i": inspection(org, quality, (10, 20, 5), on=last_month)},
                      token=token))["data"]["recordInspection"]["errors"] == []
    cards = {c["project"]["code"]: c for c in (await gql(CARDS, token=admin))["data"]["scorecards"]}
    # (25·1 + 25·0 + 10·0.9) / 60 · 100 = 56.667: five points and two thirds up.
    assert cards["P1"]["inspectionScore"] == pytest.approx(90.0)
    assert cards["P1"]["score"] == pytest.approx(3400 / 60)
    assert cards["P1"]["score"] - before["P1"]["score"] == pytest.approx(3400 / 60 - 50)
    assert (cards["P2"]["score"], cards["P2"]["inspectionScore"]) == (None, None)
    # Last month P1 received nothing but was inspected (100): alone, standard 50 → trend 0.
    assert cards["P1"]["trend"] == pytest.approx(0.0)

    weights = "mutation($i: KpiWeightsInput!) { setKpiWeights(input: $i) { weights { inspection } errors { code field } } }"
    assert (await gql(weights, {"i": {"inspection": 40}}, token=admin))["data"]["setKpiWeights"] == {
        "weights": {"inspection": 40.0}, "errors": []}
    # (25 + 40·0.9) / 90 · 100 = 67.778
    cards = {c["project"]["code"]: c for c in (await gql(CARDS, token=admin))["data"]["scorecards"]}
    assert cards["P1"]["score"] == pytest.approx(6100 / 90)
    assert (await gql(weights, {"i": {"inspection": -1}}, token=admin))["data"]["setKpiWeights"]["errors"] == [
        {"code": "VALIDATION", "field": "weights"}]
    assert (await gql("{ kpiWeights { inspection } }", token=agent))["data"]["kpiWeights"] == {"inspection": 40.0}


async def test_only_headquarters_quality_inspects(gql, desk, owner_engine, org, quality):
    token, checklist, _ = quality
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    pm2 = await gql.login(org, "pm2")
    for who in (desk["agent"][1], pm2):
        recorded = await gql(RECORD, {"i": inspection(org, quality, (10, 20, 5))}, token=who)
        assert recorded["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert (await gql(CHECKLIST, {"i": {"name": "x", "items": ITEMS}}, token=who))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert (await gql(ACTIVE, {"c": checklist, "a": False}, token=who))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Each project's staff see their own project's inspections only.
    for project in ("P1", "P2"):
        assert (await gql(RECORD, {"i": inspection(org, quality, (10, 20, 5), project=project)},
                          token=token))["data"]["recordInspection"]["errors"] == []
    seen = (await gql(LIST, {}, token=pm2))["data"]["inspections"]
    assert [i["projectId"] for i in seen] == [to_global_id("Project", org.projects["P2"])]
    assert len((await gql(LIST, {}, token=token))["data"]["inspections"]) == 2


async def test_bad_input_gets_coded_errors(gql, org, quality):
    token, checklist, items = quality

    async def error(i) -> tuple[str, str]:
        e = (await gql(RECORD, {"i": i}, token=token))["data"]["recordInspection"]["errors"][0]
        return e["code"], e["field"]

    assert await error(inspection(org, quality, (11, 20, 5))) == ("VALIDATION", "results")
    unknown = inspection(org, quality, (10, 20, 5))
    unknown["results"][0]["itemId"] = to_global_id("InspectionChecklistItem", org.org_id)
    assert await error(unknown) == ("VALIDATION", "results")
    assert await error(inspection(org, quality, (10, 20, 5), on=today() + timedelta(days=1))) == ("VALIDATION", "inspectedOn")
    missing = inspection(org, quality, (10, 20, 5))
    missing["results"].pop()
    assert await error(missing) == ("VALIDATION", "results")
    assert await error(inspection(org, quality, (10, 20, 5), findings=[{"itemId": items[0], "description": "满分项"}])) == (
        "VALIDATION", "findings")
    assert await error(inspection(org, quality, (10, 20, 5), note="长" * 2001)) == ("VALIDATION", "note")
    assert await error(inspection(org, quality, (10, 20, 5), projectId="garbage")) == ("VALIDATION", "projectId")
    both = inspection(org, quality, (10, 20, 5))
    both["results"][0]["notApplicable"] = True
    assert await error(both) == ("VALIDATION", "results")
    nowhere = inspection(org, quality, (5, 20, 5), findings=[{"itemId": items[0], "description": "x", "category": "no_such"}])
    assert await error(nowhere) == ("NOT_FOUND", "findings")

    async def checklist_error(i) -> tuple[str, str]:
        e = (await gql(CHECKLIST, {"i": i}, token=token))["data"]["createInspectionChecklist"]["errors"][0]
        return e["code"], e["field"]

    assert await checklist_error({"name": "空表", "items": []}) == ("VALIDATION", "items")
    assert await checklist_error({"name": "零分", "items": [{"title": "a", "maxPoints": 0}]}) == ("VALIDATION", "items")
    assert await checklist_error({"name": "部门", "items": [{"title": "a", "maxPoints": 1, "departmentKind": "x"}]}) == (
        "VALIDATION", "items")
    assert await checklist_error({"name": "月度品质检查", "items": ITEMS}) == ("CONFLICT", "name")

    assert (await gql(LIST, {"m": "1990-01-01"}, token=token))["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert (await gql(ONE, {"id": checklist}, token=token))["errors"][0]["extensions"]["code"] == "VALIDATION"
    off = (await gql(ACTIVE, {"c": checklist, "a": False}, token=token))["data"]["setInspectionChecklistActive"]
    assert off == {"checklist": {"active": False}, "errors": []}
    assert await error(inspection(org, quality, (10, 20, 5))) == ("VALIDATION", "checklistId")


async def test_each_company_sees_and_changes_only_its_own(gql, org, other_org, quality):
    token, checklist, _ = quality
    mine = (await gql(RECORD, {"i": inspection(org, quality, (8, 20, 5))}, token=token))["data"]["recordInspection"]["inspection"]
    outsider = await gql.login(other_org)
    assert (await gql(CHECKLISTS, token=outsider))["data"]["inspectionChecklists"] == []
    assert (await gql(LIST, {}, token=outsider))["data"]["inspections"] == []
    assert (await gql(LIST, {"p": mine["projectId"]}, token=outsider))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(ONE, {"id": mine["id"]}, token=outsider))["data"]["inspection"] is None
    assert (await gql(ACTIVE, {"c": checklist, "a": False}, token=outsider))["data"]["setInspectionChecklistActive"]["errors"] == [
        {"code": "NOT_FOUND", "field": "checklistId"}]
    # Their own checklist with the same name is theirs; our project or our checklist is nowhere for them.
    theirs = (await gql(CHECKLIST, {"i": {"name": "月度品质检查", "items": ITEMS}}, token=outsider))["data"]["createInspectionChecklist"]
    assert theirs["errors"] == []
    their_items = [i["id"] for i in theirs["checklist"]["items"]]
    into_ours = inspection(org, (None, theirs["checklist"]["id"], their_items), (10, 20, 5))
    assert (await gql(RECORD, {"i": into_ours}, token=outsider))["data"]["recordInspection"]["errors"][0]["code"] == "NOT_FOUND"
    with_ours = inspection(other_org, quality, (10, 20, 5))
    assert (await gql(RECORD, {"i": with_ours}, token=outsider))["data"]["recordInspection"]["errors"][0] == {
        "code": "NOT_FOUND", "field": "checklistId",
        "message": "检查表不存在或您无权查看。The checklist was not found or is not visible to you."}
    continue_ours = inspection(other_org, (None, theirs["checklist"]["id"], their_items), (10, 20, 5), draftId=mine["id"])
    assert (await gql(RECORD, {"i": continue_ours}, token=outsider))["data"]["recordInspection"]["errors"][0]["code"] == "NOT_FOUND"
    cards = (await gql(CARDS, token=outsider))["data"]["scorecards"]
    assert [c["inspectionScore"] for c in cards] == [None, None]
    assert (await gql(ONE, {"id": mine["id"]}, token=token))["data"]["inspection"]["score"] == pytest.approx(3300 / 35)


async def test_a_finding_trips_no_risk_word_while_a_resident_still_does(gql, desk, org, platform, stub_worker, quality):
    token = quality[0]
    # Default risk words in the checklist's own words: 业委会, 12345.
    made = (await gql(CHECKLIST, {"i": {"name": "客服品质检查", "items": [{"title": "业委会沟通", "maxPoints": 10},
                                                                    {"title": "12345工单回复", "maxPoints": 10}]}},
                      token=token))["data"]["createInspectionChecklist"]["checklist"]
    items = [i["id"] for i in made["items"]]
    found = {"projectId": desk["project"], "checklistId": made["id"], "inspectedOn": today().isoformat(),
             "results": [{"itemId": i, "points": 5, "comment": "扣分：记录不全"} for i in items],
             "findings": [{"itemId": items[0], "description": "业委会沟通会议无纪要", "kind": "REQUEST"},
                          {"itemId": items[1], "description": "12345工单未按时回复", "kind": "REQUEST"}]}
    done = (await gql(RECORD, {"i": found}, token=token))["data"]["recordInspection"]
    assert done["errors"] == [] and len(done["inspection"]["findings"]) == 2
    agent = desk["agent"][1]
    said = (await gql(REGISTER, {"i": case_input(desk, description="业委会说物业费要重新核算")}, token=agent))["data"]["registerCase"]
    await settle(platform, stub_worker)
    alerts = (await gql("{ alerts { rule caseIds } }", token=agent))["data"]["alerts"]
    assert [(a["rule"], a["caseIds"]) for a in alerts] == [("risk_words", [said["case"]["id"]])]


async def test_the_database_refuses_an_item_of_another_checklist(gql, org, owner_engine, quality):
    token, _, _ = quality
    done = (await gql(RECORD, {"i": inspection(org, quality, (10, 20, 5))}, token=token))["data"]["recordInspection"]["inspection"]
    other = (await gql(CHECKLIST, {"i": {"name": "2027版", "items": ITEMS}}, token=token))["data"]["createInspectionChecklist"]
    ids = {"i": from_global_id(done["id"], "Inspection"), "o": org.org_id,
           "item": from_global_id(other["checklist"]["items"][0]["id"], "InspectionChecklistItem"),
           "ck": from_global_id(other["checklist"]["id"], "InspectionChecklist")}
    insert = ("INSERT INTO inspection_results (org_id, project_id, inspection_id, checklist_id, item_id, points) "
              "SELECT org_id, project_id, id, {}, :item, 1 FROM inspections WHERE id = :i")
    # The item under its own checklist: not the inspection's. Under the inspection's: not its item.
    for checklist in (":ck", "checklist_id"):
        with pytest.raises(IntegrityError) as refused:
            async with owner_engine.begin() as conn:
                await conn.execute(text(insert.format(checklist)), ids)
        assert refused.value.orig.sqlstate == "23503"
    async with owner_engine.connect() as conn:
        results = (await conn.execute(text("SELECT count(*) FROM inspection_results WHERE inspection_id = :i"), ids)).scalar()
    assert results == 3


async def test_the_scorecards_read_inspection_scores_in_one_statement(gql, org, owner_engine, platform, quality):
    from api.request_db import RequestDb
    from domain.kpi.month import scored_month
    from tenants.context import TenantScope
    from domain.directory.provisioning import ProjectInput, create_project

    async def statements() -> tuple[int, dict]:
        db = RequestDb(platform, TenantScope(org.org_id, None, "test"))
        try:
            _, scored = await scored_month(db, None)
        finally:
            await db.close()
        return db.statements, {c.row.code: c.inspection_score for c in scored}

    few, _ = await statements()
    async with owner_engine.begin() as conn:
        extra = [await create_project(conn, org.org_id, "system:test", ProjectInput(f"X{i}", f"项目X{i}", "residential"))
                 for i in range(5)]
    org.projects.update({f"X{i}": p for i, p in enumerate(extra)})
    token = quality[0]
    for project in ("P1", "X0", "X1", "X2"):
        assert (await gql(RECORD, {"i": inspection(org, quality, (8, 15, 5), project=project)},
                          token=token))["data"]["recordInspection"]["errors"] == []
    many, scores = await statements()
    assert few == many == 4, "weights, the month with the month before, every inspection score and every survey score at once"
    assert scores == {"P1": 80.0, "P2": None, "X0": 80.0, "X1": 80.0, "X2": 80.0, "X3": None, "X4": None}
