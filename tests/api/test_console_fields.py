"""Fields added for the console, for every client: the received-time range of `CaseFilter`, an
inspection's project and inspector, a referral's project, the 12345 evaluation's label, who changed
an SLA cell, who recorded a reply's delivery, and a circular's print path — each read only inside
the caller's company."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from domain.gov.model import EVALUATION_LABELS, Evaluation
from domain.sla.calendar import CHINA
from tests.api.conftest import REGISTER, case_input
from tests.api.test_bulletin_circulation import CIRCULATE
from tests.api.test_inspections import RECORD, inspection, quality  # noqa: F401 — a fixture
from tests.api.test_referrals import referred
from tests.api.test_reviews_bulletins import DRAFT, WITHDRAW, bulletin_input, hq
from tests.api.test_sla_policy import policy
from tests.api.test_written_replies import DELIVER, declined_case
from tests.conftest import add_user

RECEIVED = "query($f: CaseFilter) { cases(filter: $f) { totalCount edges { node { id } } } }"
INSPECTIONS = "{ inspections { id project { id code } inspector { kind id displayName } } }"
POLICIES = "query($p: ID) { slaPolicies(projectId: $p) { kind severity updatedBy updater { kind id displayName } } }"
REPLY_DELIVERIES = "query($c: ID!) { writtenReplies(caseId: $c) { deliveries { recipient recorder { kind id displayName } } } }"


async def test_cases_filter_on_the_time_they_were_received(gql, desk, owner_engine):
    agent = desk["agent"][1]
    ids = [(await gql(REGISTER, {"i": case_input(desk, description=f"第{i}件")}, token=agent))["data"]["registerCase"]["case"]["id"]
           for i in range(3)]
    first_of_month = datetime.now(CHINA).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    async with owner_engine.begin() as conn:  # the first was taken last month
        await conn.execute(text("UPDATE cases SET received_at = :at WHERE id = :id"),
                           {"at": first_of_month - timedelta(minutes=1), "id": from_global_id(ids[0], "Case")})
    month = first_of_month.isoformat()

    async def listed(f: dict) -> set[str]:
        body = (await gql(RECEIVED, {"f": f}, token=agent))["data"]["cases"]
        assert body["totalCount"] == len(body["edges"])
        return {e["node"]["id"] for e in body["edges"]}

    assert await listed({"receivedFrom": month}) == set(ids[1:])
    assert await listed({"receivedBefore": month}) == {ids[0]}
    assert await listed({"receivedFrom": (first_of_month - timedelta(days=1)).astimezone(UTC).isoformat(),
                         "receivedBefore": month}) == {ids[0]}
    naive = await gql(RECEIVED, {"f": {"receivedFrom": "2026-12-01T00:00:00"}}, token=agent)
    assert naive["data"] is None and naive["errors"]
    for edge in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):  # no UTC instant the database holds
        far = await gql(RECEIVED, {"f": {"receivedFrom": edge}}, token=agent)
        assert far["data"] is None and far["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", (edge, far)


async def test_the_received_filter_never_reaches_another_company(gql, desk, other_org):
    mine = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]["id"]
    since = {"f": {"receivedFrom": "2000-01-01T00:00:00+08:00"}}
    assert [e["node"]["id"] for e in (await gql(RECEIVED, since, token=desk["agent"][1]))["data"]["cases"]["edges"]] == [mine]
    body = await gql(RECEIVED, since, token=await gql.login(other_org))
    assert body["data"]["cases"] == {"totalCount": 0, "edges": []}, body


async def test_an_inspection_names_its_project_and_inspector_of_its_own_company(gql, org, other_org, owner_engine, quality):  # noqa: F811
    ours = (await gql(RECORD, {"i": inspection(org, quality, (8, 20, 5))}, token=quality[0]))["data"]["recordInspection"]
    assert ours["errors"] == []
    await add_user(owner_engine, other_org, "qa2", "hq_quality", None)
    outsider = await gql.login(other_org, "qa2")
    checklist = await gql("mutation($i: InspectionChecklistInput!) { createInspectionChecklist(input: $i) { "
                          "checklist { id items { id } } } }", {"i": {"name": "检查", "items": [{"title": "地面", "maxPoints": 10},
                                                                                              {"title": "通道", "maxPoints": 20},
                                                                                              {"title": "电梯", "maxPoints": 5}]}},
                          token=outsider)
    made = checklist["data"]["createInspectionChecklist"]["checklist"]
    theirs = await gql(RECORD, {"i": inspection(other_org, (None, made["id"], [i["id"] for i in made["items"]]), (10, 20, 5))},
                       token=outsider)
    assert theirs["data"]["recordInspection"]["errors"] == []

    [mine] = (await gql(INSPECTIONS, token=quality[0]))["data"]["inspections"]
    assert mine["project"] == {"id": to_global_id("Project", org.projects["P1"]), "code": "P1"}
    assert mine["inspector"]["kind"] == "USER" and mine["inspector"]["displayName"] == "qa"
    [other] = (await gql(INSPECTIONS, token=outsider))["data"]["inspections"]
    assert other["id"] != mine["id"] and other["project"]["id"] == to_global_id("Project", other_org.projects["P1"])
    assert other["inspector"]["displayName"] == "qa2"


async def test_a_referral_names_its_project_and_another_company_reaches_none(gql, desk, org, other_org):
    _, _, r = await referred(gql, desk)
    query = "query($id: ID!) { node(id: $id) { ... on Referral { projectId project { id code } } } }"
    got = (await gql(query, {"id": r["id"]}, token=desk["sup"][1]))["data"]["node"]
    assert got == {"projectId": desk["project"], "project": {"id": desk["project"], "code": "P1"}}
    listed = (await gql("{ referrals { project { code } } }", token=desk["sup"][1]))["data"]["referrals"]
    assert listed == [{"project": {"code": "P1"}}]
    outsider = await gql.login(other_org)
    assert (await gql("{ referrals { project { id } } }", token=outsider))["data"]["referrals"] == []
    assert (await gql(query, {"id": r["id"]}, token=outsider))["data"]["node"] is None


def test_every_evaluation_has_a_chinese_label_with_the_english_beside():
    assert EVALUATION_LABELS == {Evaluation.SATISFIED: "满意 Satisfied", Evaluation.BASICALLY_SATISFIED: "基本满意 Basically satisfied",
                                 Evaluation.DISSATISFIED: "不满意 Dissatisfied"}


async def test_who_changed_an_sla_cell_is_named_only_inside_the_company(gql, org, other_org, owner_engine):
    admin = await gql.login(org)
    assert (await gql("mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { errors { code } } }",
                      {"i": policy()}, token=admin))["data"]["setSlaPolicy"]["errors"] == []
    cells = (await gql(POLICIES, {}, token=admin))["data"]["slaPolicies"]
    changed = next(c for c in cells if (c["kind"], c["severity"]) == ("REPAIR", "GENERAL"))
    assert changed["updater"] == {"kind": "USER", "id": to_global_id("User", org.admin_id), "displayName": "企业管理员"}
    assert changed["updatedBy"] == f"user:{org.admin_id}"
    untouched = next(c for c in cells if (c["kind"], c["severity"]) == ("REQUEST", "GENERAL"))
    assert untouched["updater"] == {"kind": "SYSTEM", "id": None, "displayName": "系统 System"}

    # A cell of another company naming our admin shows no name: the actor is read under its own wall.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE sla_policies SET updated_by = :by WHERE org_id = :o"),
                           {"by": f"user:{org.admin_id}", "o": other_org.org_id})
    theirs = (await gql(POLICIES, {}, token=await gql.login(other_org)))["data"]["slaPolicies"]
    assert theirs and {c["updater"]["displayName"] for c in theirs} == {"未知 Unknown"}


async def test_the_recorder_of_a_delivery_is_named_only_inside_the_company(gql, desk, org, other_org, owner_engine):
    c = await declined_case(gql, desk)
    reply = (await gql("query($c: ID!) { writtenReplies(caseId: $c) { id } }", {"c": c}, token=desk["agent"][1]))["data"]
    delivery = {"replyId": reply["writtenReplies"][0]["id"], "via": "PHONE", "recipient": "业主本人",
                "deliveredAt": datetime.now(UTC).isoformat()}
    assert (await gql(DELIVER, {"i": delivery}, token=desk["agent"][1]))["data"]["recordReplyDelivery"]["errors"] == []
    [d] = (await gql(REPLY_DELIVERIES, {"c": c}, token=desk["sup"][1]))["data"]["writtenReplies"][0]["deliveries"]
    assert d["recorder"] == {"kind": "USER", "id": desk["agent"][0], "displayName": "agent"}

    # A delivery naming another company's admin shows no name.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE written_reply_deliveries SET recorded_by = :by WHERE org_id = :o"),
                           {"by": f"user:{other_org.admin_id}", "o": org.org_id})
    [d] = (await gql(REPLY_DELIVERIES, {"c": c}, token=desk["sup"][1]))["data"]["writtenReplies"][0]["deliveries"]
    assert d["recorder"]["displayName"] == "未知 Unknown"


async def test_a_circular_prints_from_the_callers_copy_and_nowhere_else(gql, client, desk, owner_engine, org, other_org):
    publisher = await hq(gql, owner_engine, org)
    b = (await gql(DRAFT, {"i": bulletin_input(desk, title="表扬工程部<好>")}, token=publisher))["data"]["draftBulletin"]["bulletin"]["id"]
    assert (await gql(CIRCULATE, {"b": b, "c": True}, token=publisher))["data"]["publishBulletin"]["errors"] == []
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    pm2 = await gql.login(org, "pm2")
    [copy] = (await gql("{ circulars { bulletinId printPath } }", token=pm2))["data"]["circulars"]
    assert copy == {"bulletinId": b, "printPath": f"/print/circulars/{b}"}

    def get(path, token=None):
        return client.get(path, headers={"authorization": f"Bearer {token}"} if token else {})

    page = await get(copy["printPath"], pm2)
    assert page.status_code == 200 and "表扬工程部&lt;好&gt;" in page.text and "项目1" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert (await get(f"/print/bulletins/{b}", pm2)).status_code == 404, "the bulletin itself stays behind P1's wall"
    [hq_copy] = (await gql("{ circulars { printPath } }", token=publisher))["data"]["circulars"]
    assert "表扬工程部&lt;好&gt;" in (await get(hq_copy["printPath"], publisher)).text
    assert (await get(copy["printPath"], await gql.login(other_org))).status_code == 404
    assert (await get(copy["printPath"])).status_code == 401
    assert (await get("/print/circulars/not-an-id", pm2)).status_code == 400
    kept = (await gql(DRAFT, {"i": bulletin_input(desk, title="只在本项目")}, token=publisher))["data"]["draftBulletin"]["bulletin"]["id"]
    assert (await gql(CIRCULATE, {"b": kept, "c": False}, token=publisher))["data"]["publishBulletin"]["errors"] == []
    assert (await get(f"/print/circulars/{kept}", publisher)).status_code == 404, "never circulated: no circular to print"
    assert (await gql(WITHDRAW, {"b": b, "r": "数据有误"}, token=publisher))["data"]["withdrawBulletin"]["errors"] == []
    assert "已撤回：数据有误" in (await get(copy["printPath"], pm2)).text
