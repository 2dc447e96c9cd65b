"""Who did what, as objects: timeline actors, a case's first receiver, its repeats and the case it
repeats, escalations on the timeline — resolved through dataloaders, inside the company's wall."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.conftest import REGISTER, case_input, statements_of
from tests.conftest import add_user

ACTOR = "kind id displayName user { username }"
CASE = f"""query($c: ID!) {{ case(id: $c) {{ number firstReceiver {{ {ACTOR} }} repeatOf {{ number }} repeats {{ number }} }}
  caseTimeline(caseId: $c) {{ action actedBy {{ {ACTOR} }} earlierCase {{ number }}
    escalation {{ level reason recipients {{ username }} }} }} }}"""
NODE = "query($id: ID!) { node(id: $id) { __typename ... on User { username } ... on ApiKey { name } } }"
LINK = "mutation($c: ID!, $e: ID!) { linkRepeatCase(caseId: $c, earlierCaseId: $e) { errors { code field } } }"


async def _register(gql, desk, token=None, api_key=None, **over) -> dict:
    body = await gql(REGISTER, {"i": case_input(desk, **over)}, token=token, api_key=api_key)
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]


async def test_timeline_and_first_receiver_name_people_and_escalations_appear_on_the_timeline(gql, desk, owner_engine, org):
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    admin, agent = await gql.login(org), desk["agent"][1]
    earlier = await _register(gql, desk, token=agent, kind="COMPLAINT", category="noise")
    complaint = await _register(gql, desk, token=admin, kind="COMPLAINT", channel="HQ_HOTLINE", category="noise")
    assert (await gql(LINK, {"c": complaint["id"], "e": earlier["id"]}, token=admin))["data"]["linkRepeatCase"]["errors"] == []

    body = (await gql(CASE, {"c": complaint["id"]}, token=admin))["data"]
    assert body["case"]["firstReceiver"]["kind"] == "USER" and body["case"]["firstReceiver"]["user"] == {"username": "admin"}
    assert body["case"]["repeatOf"] == {"number": earlier["number"]} and body["case"]["repeats"] == []
    timeline = body["caseTimeline"]
    assert [e["action"] for e in timeline] == ["case.received", "case.escalated", "case.linked_repeat"]
    received, escalated, linked = timeline
    assert received["actedBy"] == body["case"]["firstReceiver"]
    assert escalated["actedBy"] == {"kind": "SYSTEM", "id": None, "displayName": "系统 System", "user": None}
    assert escalated["escalation"]["level"] == "l3" and escalated["escalation"]["reason"] == "skip_level"
    assert {"username": "hq"} in escalated["escalation"]["recipients"]
    assert linked["earlierCase"] == {"number": earlier["number"]} and received["earlierCase"] is None
    node = (await gql(NODE, {"id": received["actedBy"]["id"]}, token=admin))["data"]["node"]
    assert node == {"__typename": "User", "username": "admin"}

    first = (await gql(CASE, {"c": earlier["id"]}, token=admin))["data"]["case"]
    assert first["repeats"] == [{"number": complaint["number"]}] and first["repeatOf"] is None
    assert first["firstReceiver"]["user"] == {"username": "agent"}


async def test_a_case_entered_with_an_api_key_names_the_key(gql, desk, org):
    admin = await gql.login(org)
    made = await gql('mutation { createApiKey(input: {name: "呼叫中心CTI", access: READ_WRITE}) { secret } }', token=admin)
    key = made["data"]["createApiKey"]["secret"]
    case = await _register(gql, desk, api_key=key)
    body = (await gql(CASE, {"c": case["id"]}, token=admin))["data"]
    actor = body["case"]["firstReceiver"]
    assert actor["kind"] == "API_KEY" and actor["displayName"] == "呼叫中心CTI" and actor["user"] is None
    assert body["caseTimeline"][0]["actedBy"] == actor, "recorded with the key, shown as the key"
    assert (await gql(NODE, {"id": actor["id"]}, token=admin))["data"]["node"] == {"__typename": "ApiKey", "name": "呼叫中心CTI"}


async def test_another_company_sees_none_of_it(gql, desk, org, other_org):
    admin, outsider = await gql.login(org), await gql.login(other_org)
    made = await gql('mutation { createApiKey(input: {name: "CTI", access: READ_WRITE}) { secret } }', token=admin)
    case = await _register(gql, desk, api_key=made["data"]["createApiKey"]["secret"])
    mine = (await gql(CASE, {"c": case["id"]}, token=admin))["data"]
    theirs = await gql(CASE, {"c": case["id"]}, token=outsider)
    # The case looks up by id (null); its timeline takes the id as an argument: NOT_FOUND, as for
    # every id outside the caller's reach.
    assert theirs["data"] is None and [e["extensions"]["code"] for e in theirs["errors"]] == ["NOT_FOUND"]
    assert (await gql("query($c: ID!) { case(id: $c) { number } }", {"c": case["id"]}, token=outsider))["data"] == {"case": None}
    viewer = (await gql("{ viewer { user { id } } }", token=admin))["data"]["viewer"]["user"]["id"]
    for actor_id in (mine["case"]["firstReceiver"]["id"], viewer):
        assert (await gql(NODE, {"id": actor_id}, token=outsider))["data"]["node"] is None


async def test_actors_and_links_cost_the_same_statements_for_one_case_or_many(gql, desk, org, platform, owner_engine):
    query = (f"{{ cases(first: 50) {{ edges {{ node {{ firstReceiver {{ {ACTOR} }} repeatOf {{ number firstReceiver {{ displayName }} }} "
             "repeats { number } } } } }")

    async def statements() -> int:
        return await statements_of(platform, org, query)

    admin = await gql.login(org)
    earlier = await _register(gql, desk, token=desk["agent"][1])
    one = await statements()
    for _ in range(4):
        again = await _register(gql, desk, token=admin)
        assert (await gql(LINK, {"c": again["id"], "e": earlier["id"]}, token=admin))["data"]["linkRepeatCase"]["errors"] == []
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o AND repeat_of IS NOT NULL"),
                                   {"o": org.org_id})).scalar() == 4
    assert await statements() == one + 1, "the page, its actors, users and repeats; the earlier cases once there are some"


async def test_a_checklist_names_its_creator(gql, org, owner_engine):
    from tests.api.test_inspections import ITEMS

    await add_user(owner_engine, org, "qa", "hq_quality", None)
    token = await gql.login(org, "qa")
    made = "mutation($i: InspectionChecklistInput!) { createInspectionChecklist(input: $i) { checklist { id } errors { code } } }"
    body = (await gql(made, {"i": {"name": "月度品质检查", "items": ITEMS}}, token=token))["data"]["createInspectionChecklist"]
    assert body["errors"] == []
    found = (await gql(f"{{ inspectionChecklists {{ id creator {{ {ACTOR} }} }} }}", token=token))["data"]["inspectionChecklists"]
    assert [c["creator"] for c in found if c["id"] == body["checklist"]["id"]] == [
        {"kind": "USER", "id": found[0]["creator"]["id"], "displayName": "qa", "user": {"username": "qa"}}]
