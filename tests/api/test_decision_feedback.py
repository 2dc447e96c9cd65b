"""决策反馈 through GraphQL: a month of out-of-remit cases (referred, returned by 12345, declined)
aggregated by category and body; a recurring problem reported with its cases; the lifecycle with
evidence, out of order refused; the HQ view across projects while a project user sees only
theirs; and the wall between companies and between projects."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from api.graphql.types.node import parse_global_id, to_global_id
from domain.sla.calendar import add_months
from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_unit, add_user

CANDIDATES = ("query($p: ID, $m: Date, $n: Int! = 3) { decisionFeedbackCandidates(projectId: $p, month: $m, minCases: $n) { "
              "projectId projectName category { code label } body { id name kind } period caseCount referredCount returnedCount "
              "declinedCount sampleCaseNumbers itemId alreadyReported reportable } }")
ITEM_FIELDS = ("id projectId projectName category { code label } body { name } period title summary status statusLabel nextStatus "
               "caseCount caseIds caseNumbers reportedBy acknowledgedAt correctedAt implementedAt ageDays "
               "steps { status statusLabel evidence attachments actor }")
REPORT = ("mutation($i: ReportDecisionFeedbackInput!, $k: String) { reportDecisionFeedback(input: $i, idempotencyKey: $k) { "
          f"item {{ {ITEM_FIELDS} }} errors {{ code field message }} }} }}")
ADVANCE = ("mutation($i: AdvanceDecisionFeedbackInput!) { advanceDecisionFeedback(input: $i) { "
           f"item {{ {ITEM_FIELDS} }} errors {{ code field message }} }} }}")
ITEMS = f"query($p: ID, $s: DecisionFeedbackStatus) {{ decisionFeedback(projectId: $p, status: $s) {{ {ITEM_FIELDS} }} }}"
SUMMARY = ("{ decisionFeedbackSummary { projects { projectName counts { reported acknowledged corrected implemented open total "
           "oldestOpenAgeDays } } total { reported acknowledged corrected implemented open total oldestOpenAgeDays } } }")
NODE = "query($id: ID!) { node(id: $id) { ... on DecisionFeedbackItem { id title status } } }"


async def _body(conn, org, project: str, kind: str, name: str) -> uuid.UUID:
    return (await conn.execute(text(
        "INSERT INTO outside_bodies (org_id, project_id, kind, name, delivery, created_by) VALUES (:o, :p, :k, :n, 'letter', 'user:x') "
        "RETURNING id"), {"o": org.org_id, "p": org.projects[project], "k": kind, "n": name})).scalar_one()


async def _refer(conn, org, project: str, case: str, body: uuid.UUID, status: str = "sent") -> None:
    await conn.execute(text(
        "INSERT INTO referrals (org_id, project_id, case_id, body_id, reason, requested_action, status, created_by, due_at) "
        "VALUES (:o, :p, :c, :b, '不属物业职责', '请依法处理', :s, 'user:x', now() + interval '5 days')"),
        {"o": org.org_id, "p": org.projects[project], "c": parse_global_id(case)[1], "b": body, "s": status})


async def _return_order(conn, org, case: str, body: uuid.UUID) -> None:
    """A 12345 order for the case, answered back as not within our remit (退回), the body named."""
    p = org.projects["P1"]
    bridge = (await conn.execute(text(
        "INSERT INTO gov_bridges (org_id, project_id, name, city, callback_url, secret_enc, receiver_id, created_by) "
        "VALUES (:o, :p, '市民热线', '北京', 'https://12345.example.gov/cb', '\\x00', :a, 'user:x') RETURNING id"),
        {"o": org.org_id, "p": p, "a": org.admin_id})).scalar_one()
    await conn.execute(text(
        "INSERT INTO gov_orders (org_id, project_id, bridge_id, case_id, order_number, category, urgency, content, received_at, "
        "response_due, resolve_due, status, answered_at, returned_reason, returned_body_id) VALUES (:o, :p, :g, :c, 'BJ-0001', "
        "'噪声扰民', 'general', '夜间施工', now(), now() + interval '1 day', now() + interval '7 days', 'returned', now(), "
        "'工地噪音属城管职责', :b)"), {"o": org.org_id, "p": p, "g": bridge, "c": parse_global_id(case)[1], "b": body})


@pytest.fixture
async def month(gql, desk, owner_engine, org):
    """This month in P1: noise — 3 cases referred to 幸福街道办 (+1 withdrawn) and 1 returned by
    12345 to it; renovation — 2 referred to 城管中队; public_area — 3 declined. P1 last month: one
    noise case referred. P2: 3 noise cases referred to its own 街道办."""
    admin, agent, sup = await gql.login(org), desk["agent"][1], desk["sup"][1]
    p2_unit, _ = await add_unit(owner_engine, org, "P2")

    async def new(category: str, project: str = "P1") -> dict:
        over = {"category": category, "description": f"{category} 业主反映问题"}
        if project == "P2":
            over.update(projectId=to_global_id("Project", org.projects["P2"]), unitId=to_global_id("Unit", p2_unit))
        body = (await gql(REGISTER, {"i": case_input(desk, **over)}, token=admin))["data"]["registerCase"]
        assert body["errors"] == [], body
        return body["case"]

    noise = [await new("noise") for _ in range(5)]
    renovation = [await new("renovation") for _ in range(2)]
    declined = [await new("public_area") for _ in range(3)]
    earlier = await new("noise")
    p2 = [await new("noise", "P2") for _ in range(3)]
    for c in declined:
        body = await gql("mutation($c: ID!) { requestDecline(caseId: $c, reason: \"超出服务范围\") { errors { code } } }",
                         {"c": c["id"]}, token=agent)
        assert body["data"]["requestDecline"]["errors"] == []
        body = await gql("mutation($c: ID!, $r: WrittenReplyInput!) { approveDecline(caseId: $c, reply: $r) { errors { code } } }",
                         {"c": c["id"], "r": {"reason": "公共区域广告牌属业委会", "basis": "物业服务合同第五条",
                                              "alternatives": ["请联系业委会"]}}, token=sup)
        assert body["data"]["approveDecline"]["errors"] == []
    async with owner_engine.begin() as conn:
        street = await _body(conn, org, "P1", "street_office", "幸福街道办")
        city = await _body(conn, org, "P1", "law_enforcement", "城管中队")
        street2 = await _body(conn, org, "P2", "street_office", "和平街道办")
        for c in noise[:3] + [earlier]:
            await _refer(conn, org, "P1", c["id"], street)
        await _refer(conn, org, "P1", noise[3]["id"], street, "withdrawn")
        await _return_order(conn, org, noise[4]["id"], street)
        for c in renovation:
            await _refer(conn, org, "P1", c["id"], city)
        for c in p2:
            await _refer(conn, org, "P2", c["id"], street2)
        await conn.execute(text("UPDATE cases SET received_at = ((received_at AT TIME ZONE 'Asia/Shanghai') - interval '1 month') "
                                "AT TIME ZONE 'Asia/Shanghai' WHERE org_id = :o AND id = :c"),
                           {"o": org.org_id, "c": parse_global_id(earlier["id"])[1]})
        today = (await conn.execute(text("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date"))).scalar_one()
    return {"admin": admin, "street": to_global_id("OutsideBody", street), "city": to_global_id("OutsideBody", city),
            "street2": to_global_id("OutsideBody", street2), "today": today.isoformat(), "last": add_months(today, -1).isoformat(),
            "noise": [c["number"] for c in noise[:3]] + [noise[4]["number"]], "withdrawn": noise[3]["number"],
            "declined": sorted(c["number"] for c in declined), "p2": sorted(c["number"] for c in p2),
            "p1": to_global_id("Project", org.projects["P1"]), "p2id": to_global_id("Project", org.projects["P2"])}


def report_input(m, **over) -> dict:
    base = {"projectId": m["p1"], "month": m["today"], "categoryCode": "noise", "bodyId": m["street"], "title": "夜间工地施工噪音反复",
            "summary": "本月四户业主反映临街工地夜间施工，请街道办协调城管依法查处。"}
    return {**base, **over}


async def report(gql, token, m, key: str | None = None, **over) -> dict:
    return (await gql(REPORT, {"i": report_input(m, **over), "k": key}, token=token))["data"]["reportDecisionFeedback"]


async def advance(gql, token, item: str, status: str, evidence: str = "街道办回函", **over) -> dict:
    return (await gql(ADVANCE, {"i": {"itemId": item, "status": status, "evidence": evidence, **over}},
                      token=token))["data"]["advanceDecisionFeedback"]


async def test_the_months_out_of_remit_cases_are_counted_by_category_and_body(gql, month):
    m = month
    got = (await gql(CANDIDATES, {"p": m["p1"]}, token=m["admin"]))["data"]["decisionFeedbackCandidates"]
    shape = [(c["category"]["code"], c["body"]["name"] if c["body"] else None, c["caseCount"], c["referredCount"], c["returnedCount"],
              c["declinedCount"]) for c in got]
    # Noise: 3 referred + 1 returned by 12345 (the withdrawn referral and last month's case do not count);
    # renovation's 2 are under the threshold; the declined have no body.
    assert shape == [("noise", "幸福街道办", 4, 3, 1, 0), ("public_area", None, 3, 0, 0, 3)]
    noise, declined = got
    assert noise["category"]["label"] == "噪音" and noise["body"]["kind"] == "street_office" and noise["body"]["id"] == m["street"]
    assert noise["sampleCaseNumbers"] == sorted(m["noise"]) and m["withdrawn"] not in noise["sampleCaseNumbers"]
    assert declined["sampleCaseNumbers"] == m["declined"]
    assert noise["period"] == m["today"][:8] + "01" and noise["projectName"] == "项目1"
    assert [(c["reportable"], c["alreadyReported"], c["itemId"]) for c in got] == [(True, False, None)] * 2

    lower = (await gql(CANDIDATES, {"p": m["p1"], "n": 2}, token=m["admin"]))["data"]["decisionFeedbackCandidates"]
    assert [(c["category"]["code"], c["body"]["name"] if c["body"] else None, c["caseCount"], c["reportable"]) for c in lower] == [
        ("noise", "幸福街道办", 4, True), ("public_area", None, 3, True), ("renovation", "城管中队", 2, False)]
    before = (await gql(CANDIDATES, {"p": m["p1"], "m": m["last"], "n": 1}, token=m["admin"]))["data"]["decisionFeedbackCandidates"]
    assert [(c["category"]["code"], c["caseCount"], c["period"]) for c in before] == [("noise", 1, m["last"])]
    # Without a project: every visible project, most cases first.
    every = (await gql(CANDIDATES, {}, token=m["admin"]))["data"]["decisionFeedbackCandidates"]
    assert [(c["projectName"], c["category"]["code"], c["caseCount"]) for c in every] == [
        ("项目1", "noise", 4), ("项目1", "public_area", 3), ("项目2", "noise", 3)]

    bad = await gql(CANDIDATES, {"p": m["p1"], "n": 0}, token=m["admin"])
    assert bad["data"] is None and bad["errors"][0]["extensions"]["code"] == "VALIDATION"
    future = await gql(CANDIDATES, {"p": m["p1"], "m": "2100-12-01"}, token=m["admin"])
    assert future["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_reporting_links_every_case_once_per_month(gql, month, owner_engine, org):
    m = month
    attachments = ["file:照片1", "https://example.com/录音.mp3"]
    got = await report(gql, m["admin"], m, "df-1", attachments=attachments)
    assert got["errors"] == []
    item = got["item"]
    assert (item["status"], item["statusLabel"], item["nextStatus"], item["caseCount"], item["ageDays"]) == (
        "REPORTED", "已上报 Reported", "ACKNOWLEDGED", 4, 0)
    assert sorted(item["caseNumbers"]) == sorted(m["noise"]) and len(item["caseIds"]) == 4
    assert (item["category"], item["body"], item["projectName"]) == ({"code": "noise", "label": "噪音"}, {"name": "幸福街道办"}, "项目1")
    assert item["steps"] == [{"status": "REPORTED", "statusLabel": "已上报 Reported", "evidence": report_input(m)["summary"],
                              "attachments": ["file:照片1", "https://example.com/录音.mp3"], "actor": item["reportedBy"]}]
    after = (await gql(CANDIDATES, {"p": m["p1"]}, token=m["admin"]))["data"]["decisionFeedbackCandidates"]
    assert [(c["category"]["code"], c["alreadyReported"], c["reportable"], c["itemId"]) for c in after] == [
        ("noise", True, False, item["id"]), ("public_area", False, True, None)]

    # Once per project, category, body and month; a replayed key returns the first answer.
    assert (await report(gql, m["admin"], m, title="又一次"))["errors"][0]["code"] == "CONFLICT"
    replay = await report(gql, m["admin"], m, "df-1", attachments=attachments)
    assert replay["errors"] == [] and replay["item"]["id"] == item["id"]
    declined = await report(gql, m["admin"], m, categoryCode="public_area", bodyId=None, title="公共区域广告牌", summary="三户被拒")
    assert declined["errors"] == [] and declined["item"]["body"] is None and declined["item"]["caseCount"] == 3
    assert (await report(gql, m["admin"], m, categoryCode="public_area", bodyId=None))["errors"][0]["code"] == "CONFLICT"
    first = await gql(REPORT, {"i": report_input(m, categoryCode="noise", month=m["last"])}, token=m["admin"])
    assert first["data"]["reportDecisionFeedback"]["errors"][0]["field"] == "categoryCode"  # one case last month: not recurring

    refusals = {
        "under the threshold": (report_input(m, categoryCode="renovation", bodyId=m["city"]), ("VALIDATION", "categoryCode")),
        "unknown category": (report_input(m, categoryCode="no_such"), ("NOT_FOUND", "categoryCode")),
        "another project's body": (report_input(m, bodyId=m["street2"]), ("NOT_FOUND", "bodyId")),
        "not a body id": (report_input(m, bodyId=m["p1"]), ("VALIDATION", "bodyId")),
        "a month to come": (report_input(m, month="2100-01-01"), ("VALIDATION", "month")),
        "no title": (report_input(m, title="  "), ("VALIDATION", "title")),
        "summary too long": (report_input(m, summary="长" * 2001), ("VALIDATION", "summary")),
        "too many attachments": (report_input(m, attachments=[f"f{n}" for n in range(21)]), ("VALIDATION", "attachments")),
    }
    for why, (given, expected) in refusals.items():
        errors = (await gql(REPORT, {"i": given}, token=m["admin"]))["data"]["reportDecisionFeedback"]["errors"]
        assert (errors[0]["code"], errors[0]["field"]) == expected, why

    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'decision_feedback.reported' "
                                          "ORDER BY created_at"), {"o": org.org_id})).scalars().all()
        audits = (await conn.execute(text("SELECT to_state, entity_id FROM audit_log WHERE org_id = :o "
                                          "AND action = 'decision_feedback.reported'"), {"o": org.org_id})).all()
        linked = (await conn.execute(text("SELECT count(*) FROM decision_feedback_cases WHERE org_id = :o"), {"o": org.org_id})).scalar()
    assert len(events) == 2 and len(audits) == 2 and linked == 7
    noise_event = next(e for e in events if e["item_id"] == str(parse_global_id(item["id"])[1]))
    assert set(noise_event) == {"item_id", "status", "category", "summary"}
    assert (noise_event["status"], noise_event["category"]) == ("reported", "noise")
    assert noise_event["summary"].startswith("决策反馈「夜间工地施工噪音反复」已上报：噪音·幸福街道办，")
    assert "共4件" in noise_event["summary"]
    assert {a.to_state for a in audits} == {"reported"}


async def test_the_lifecycle_moves_one_step_at_a_time_with_evidence(gql, month, owner_engine, org):
    m = month
    item = (await report(gql, m["admin"], m))["item"]["id"]
    skipped = await advance(gql, m["admin"], item, "CORRECTED", "整改完成")
    assert (skipped["errors"][0]["code"], skipped["errors"][0]["field"]) == ("INVALID_STATE", "status")
    assert "已确认 Acknowledged" in skipped["errors"][0]["message"]
    for bad, field in ((dict(evidence=" "), "evidence"), (dict(evidence="证" * 2001), "evidence"),
                       (dict(attachments=["x" * 1001]), "attachments"), (dict(attachments=["a"] * 21), "attachments")):
        got = await advance(gql, m["admin"], item, "ACKNOWLEDGED", **{"evidence": "回函", **bad})
        assert (got["errors"][0]["code"], got["errors"][0]["field"]) == ("VALIDATION", field)

    steps = [("ACKNOWLEDGED", "街道办12月3日回函：已转城管立案", ["file:回函.pdf"]),
             ("CORRECTED", "城管已责令工地22:00后停工", []),
             ("IMPLEMENTED", "回访四户业主：一个月内未再发生夜间施工", ["file:回访记录.xlsx", "file:照片"])]
    for status, evidence, attachments in steps:
        got = await advance(gql, m["admin"], item, status, evidence, attachments=attachments)
        assert got["errors"] == [] and got["item"]["status"] == status
    done = got["item"]
    assert (done["statusLabel"], done["nextStatus"]) == ("已落实 Implemented", None)
    assert None not in (done["acknowledgedAt"], done["correctedAt"], done["implementedAt"])
    assert [(s["status"], s["evidence"], s["attachments"]) for s in done["steps"][1:]] == [(s, e, a) for s, e, a in steps]
    assert [s["statusLabel"] for s in done["steps"]] == ["已上报 Reported", "已确认 Acknowledged", "已整改 Corrected", "已落实 Implemented"]
    again = await advance(gql, m["admin"], item, "IMPLEMENTED")
    assert again["errors"][0]["code"] == "INVALID_STATE" and again["item"] is None
    back = await advance(gql, m["admin"], item, "ACKNOWLEDGED")
    assert back["errors"][0]["code"] == "INVALID_STATE"

    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'decision_feedback.advanced' "
                                          "ORDER BY created_at"), {"o": org.org_id})).scalars().all()
        audits = (await conn.execute(text("SELECT from_state, to_state FROM audit_log WHERE org_id = :o "
                                          "AND action = 'decision_feedback.advanced' ORDER BY at"), {"o": org.org_id})).all()
    assert [e["status"] for e in events] == ["acknowledged", "corrected", "implemented"]
    assert events[0]["summary"].startswith("决策反馈「夜间工地施工噪音反复」已确认：")
    assert [tuple(a) for a in audits] == [("reported", "acknowledged"), ("acknowledged", "corrected"), ("corrected", "implemented")]


async def test_headquarters_sees_every_project_and_a_project_user_only_theirs(gql, month, owner_engine, org):
    m = month
    for role, name, project in (("hq_supervisor", "hq", None), ("project_manager", "pm1", "P1"), ("project_manager", "pm2", "P2")):
        await add_user(owner_engine, org, name, role, project)
    hq, pm1, pm2 = await gql.login(org, "hq"), await gql.login(org, "pm1"), await gql.login(org, "pm2")
    # HQ supervisors report too; a project manager reports for their own project only.
    one = (await report(gql, hq, m))["item"]
    other = await report(gql, pm1, m, projectId=m["p2id"], bodyId=m["street2"])
    assert other["errors"][0]["code"] == "NOT_FOUND"  # another project is out of its reach
    two = (await report(gql, pm2, m, projectId=m["p2id"], bodyId=m["street2"], title="和平里施工噪音"))["item"]
    assert two["caseCount"] == 3 and sorted(two["caseNumbers"]) == m["p2"]
    assert (await advance(gql, pm2, two["id"], "ACKNOWLEDGED"))["errors"] == []

    seen = (await gql(ITEMS, {}, token=hq))["data"]["decisionFeedback"]
    assert sorted((i["projectName"], i["title"], i["status"]) for i in seen) == [
        ("项目1", "夜间工地施工噪音反复", "REPORTED"), ("项目2", "和平里施工噪音", "ACKNOWLEDGED")]
    assert [i["title"] for i in (await gql(ITEMS, {"s": "ACKNOWLEDGED"}, token=hq))["data"]["decisionFeedback"]] == ["和平里施工噪音"]
    assert [i["title"] for i in (await gql(ITEMS, {"p": m["p1"]}, token=hq))["data"]["decisionFeedback"]] == ["夜间工地施工噪音反复"]
    summary = (await gql(SUMMARY, token=hq))["data"]["decisionFeedbackSummary"]
    zero = {"reported": 0, "acknowledged": 0, "corrected": 0, "implemented": 0}
    assert summary["projects"] == [
        {"projectName": "项目1", "counts": {**zero, "reported": 1, "open": 1, "total": 1, "oldestOpenAgeDays": 0}},
        {"projectName": "项目2", "counts": {**zero, "acknowledged": 1, "open": 1, "total": 1, "oldestOpenAgeDays": 0}}]
    assert summary["total"] == {**zero, "reported": 1, "acknowledged": 1, "open": 2, "total": 2, "oldestOpenAgeDays": 0}

    # P1's manager: P1 only — lists, the summary, candidates, node ids and writes.
    assert [i["id"] for i in (await gql(ITEMS, {}, token=pm1))["data"]["decisionFeedback"]] == [one["id"]]
    assert (await gql(ITEMS, {"p": m["p2id"]}, token=pm1))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert [p["projectName"] for p in (await gql(SUMMARY, token=pm1))["data"]["decisionFeedbackSummary"]["projects"]] == ["项目1"]
    assert {c["projectName"] for c in (await gql(CANDIDATES, {}, token=pm1))["data"]["decisionFeedbackCandidates"]} == {"项目1"}
    assert (await gql(CANDIDATES, {"p": m["p2id"]}, token=pm1))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(NODE, {"id": two["id"]}, token=pm1))["data"]["node"] is None
    assert (await gql(NODE, {"id": one["id"]}, token=pm1))["data"]["node"] == {"id": one["id"], "title": one["title"], "status": "REPORTED"}
    assert (await advance(gql, pm1, two["id"], "CORRECTED"))["errors"][0]["code"] == "NOT_FOUND"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT status FROM decision_feedback_items WHERE id = :i"),
                                   {"i": parse_global_id(two["id"])[1]})).scalar() == "acknowledged"


async def test_another_company_sees_nothing_and_changes_nothing(gql, month, other_org, owner_engine, org):
    m = month
    item = (await report(gql, m["admin"], m))["item"]
    b = await gql.login(other_org)
    assert (await gql(CANDIDATES, {}, token=b))["data"]["decisionFeedbackCandidates"] == []
    assert (await gql(CANDIDATES, {"p": m["p1"], "n": 1}, token=b))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(ITEMS, {}, token=b))["data"]["decisionFeedback"] == []
    assert (await gql(ITEMS, {"p": m["p1"]}, token=b))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gql(SUMMARY, token=b))["data"]["decisionFeedbackSummary"] == {
        "projects": [], "total": {"reported": 0, "acknowledged": 0, "corrected": 0, "implemented": 0, "open": 0, "total": 0,
                                  "oldestOpenAgeDays": None}}
    assert (await gql(NODE, {"id": item["id"]}, token=b))["data"]["node"] is None
    got = await advance(gql, b, item["id"], "ACKNOWLEDGED", "伪造回函")
    assert (got["errors"][0]["code"], got["errors"][0]["field"]) == ("NOT_FOUND", "itemId")
    into = await report(gql, b, m, categoryCode="public_area", bodyId=None)
    assert (into["errors"][0]["code"], into["errors"][0]["field"]) == ("NOT_FOUND", "projectId")
    with_body = await report(gql, b, m, projectId=to_global_id("Project", other_org.projects["P1"]))
    assert (with_body["errors"][0]["code"], with_body["errors"][0]["field"]) == ("NOT_FOUND", "bodyId")
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT org_id, status FROM decision_feedback_items WHERE org_id IN (:a, :b)"),
                                   {"a": org.org_id, "b": other_org.org_id})).all()
        steps = (await conn.execute(text("SELECT count(*) FROM decision_feedback_steps WHERE org_id = :o"), {"o": org.org_id})).scalar()
    assert [tuple(r) for r in rows] == [(org.org_id, "reported")] and steps == 1
