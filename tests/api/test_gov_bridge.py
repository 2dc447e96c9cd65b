"""The 12345 bridge's mutations and queries through the API: a bridge and its secret (shown once,
stored encrypted, rotated), answers back with their rules (a return declines the case with a
written reply), and the tenant wall for every field — another company's or another project's
bridges and orders are not found, not listed, not counted."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._gov import ADD_BRIDGE, ANSWER, ORDERS, RATES, add_bridge, callback_url, order, post  # noqa: F401 — a fixture
from tests.conftest import add_user

ROTATE = "mutation($b: ID!) { rotateGovBridgeSecret(bridgeId: $b) { bridge { id } secret errors { code field } } }"
SWITCH = "mutation($b: ID!, $a: Boolean!) { setGovBridgeActive(bridgeId: $b, active: $a) { bridge { active } errors { code field } } }"
BRIDGES = "query($p: ID) { govBridges(projectId: $p) { id name city } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on GovOrder { orderNumber } } }"
REPLIES = "query($c: ID!) { writtenReplies(caseId: $c) { reason basis alternatives } }"


def bridge_input(org, receiver, project: str = "P1", **over) -> dict:
    return {"projectId": to_global_id("Project", org.projects[project]), "name": "北京12345", "city": "北京市",
            "callbackUrl": "http://127.0.0.1:9/cb", "receiverId": to_global_id("User", receiver), **over}


async def test_a_bridges_secret_is_shown_once_stored_encrypted_and_rotated(gql, client, org, other_org, owner_engine, platform):
    admin = await gql.login(org)
    receiver = await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    made = (await gql(ADD_BRIDGE, {"i": bridge_input(org, receiver), "k": "bridge-1"}, token=admin))["data"]["addGovBridge"]
    assert made["errors"] == [] and len(made["secret"]) >= 40 and made["bridge"]["receiver"] == {"username": "agent"}
    replay = (await gql(ADD_BRIDGE, {"i": bridge_input(org, receiver), "k": "bridge-1"}, token=admin))["data"]["addGovBridge"]
    assert replay["bridge"]["id"] == made["bridge"]["id"] and replay["secret"] is None, "a replay never re-shows the secret"
    async with owner_engine.connect() as conn:
        stored = (await conn.execute(text("SELECT secret_enc FROM gov_bridges WHERE org_id = :o"), {"o": org.org_id})).scalars().all()
    assert len(stored) == 1 and made["secret"].encode() not in stored[0] and platform.cipher.decrypt(stored[0]) == made["secret"]

    bridge = {**made["bridge"], "secret": made["secret"]}
    rotated = (await gql(ROTATE, {"b": bridge["id"]}, token=admin))["data"]["rotateGovBridgeSecret"]
    assert rotated["errors"] == [] and rotated["secret"] not in (None, made["secret"])
    assert (await post(client, bridge, order("R-1"))).status_code == 401, "the old secret stops working"
    assert (await post(client, bridge, order("R-1"), secret=rotated["secret"])).status_code == 200

    other_receiver = await add_user(owner_engine, other_org, "agent", "cs_agent", "P1")
    for over, field, code in (({"callbackUrl": "ftp://12345.example.gov.cn"}, "callbackUrl", "VALIDATION"),
                              ({"name": " "}, "name", "VALIDATION"), ({"city": ""}, "city", "VALIDATION"),
                              ({"receiverId": to_global_id("User", other_receiver)}, "receiverId", "NOT_FOUND"),
                              ({"projectId": to_global_id("Project", other_org.projects["P1"])}, "projectId", "NOT_FOUND")):
        errors = (await gql(ADD_BRIDGE, {"i": bridge_input(org, receiver, **over)}, token=admin))["data"]["addGovBridge"]["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [(code, field)], over


async def test_the_wall_around_bridges(gql, org, other_org, owner_engine):
    admin = await gql.login(org)
    receiver = await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    pm1, pm2 = await gql.login(org, "pm1"), await gql.login(org, "pm2")
    mine = (await gql(ADD_BRIDGE, {"i": bridge_input(org, receiver)}, token=pm1))["data"]["addGovBridge"]
    assert mine["errors"] == [], "a project manager adds bridges to their project"
    p2 = (await gql(ADD_BRIDGE, {"i": bridge_input(org, receiver, "P2")}, token=pm1))["data"]["addGovBridge"]
    assert [e["code"] for e in p2["errors"]] == ["NOT_FOUND"], "…and not to another, which is out of their reach"
    bid = mine["bridge"]["id"]
    assert [b["id"] for b in (await gql(BRIDGES, {}, token=admin))["data"]["govBridges"]] == [bid]
    assert (await gql(BRIDGES, {}, token=pm2))["data"]["govBridges"] == [], "another project's manager sees none"
    for token in (pm2, await gql.login(other_org)):
        switched = await gql(SWITCH, {"b": bid, "a": False}, token=token)
        assert [e["code"] for e in switched["data"]["setGovBridgeActive"]["errors"]] == ["NOT_FOUND"]
        assert [e["code"] for e in (await gql(ROTATE, {"b": bid}, token=token))["data"]["rotateGovBridgeSecret"]["errors"]] == ["NOT_FOUND"]
    outsider = await gql.login(other_org)
    assert (await gql(BRIDGES, {}, token=outsider))["data"]["govBridges"] == []
    assert (await gql("{ govCityDeadlines { city } }", token=outsider))["data"]["govCityDeadlines"] == []
    agent = await gql.login(org, "agent")
    denied = await gql(BRIDGES, {}, token=agent)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN", "bridges are for those who manage them"


async def test_answers_follow_their_rules_and_a_return_declines_the_case(gql, client, org, other_org, owner_engine, callback_url):  # noqa: F811 — the imported fixture
    admin = await gql.login(org)
    receiver = await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    await add_user(owner_engine, org, "sup2", "cs_supervisor", "P2")
    sup, sup2, agent = await gql.login(org, "sup"), await gql.login(org, "sup2"), await gql.login(org, "agent")
    bridge = await add_bridge(gql, admin, to_global_id("Project", org.projects["P1"]), to_global_id("User", receiver), callback_url)
    assert (await post(client, bridge, order("A-1"))).status_code == 200
    [o] = (await gql(ORDERS, {}, token=sup))["data"]["govOrders"]

    early = (await gql(ANSWER, {"o": o["id"], "kind": "RESULT", "t": "已修好"}, token=sup))["data"]["answerGovOrder"]
    assert [e["code"] for e in early["errors"]] == ["INVALID_STATE"], "the result waits for the case to be resolved"
    progress = (await gql(ANSWER, {"o": o["id"], "kind": "PROGRESS", "t": "已联系诉求人，明早到场", "k": "p-1"}, token=sup))
    answered = progress["data"]["answerGovOrder"]["order"]
    assert answered["status"] == "RESPONDED" and answered["respondedOnTime"] is True and answered["respondedAt"]
    assert [(a["kind"], a["text"], a["status"]) for a in answered["answers"]] == [("progress", "已联系诉求人，明早到场", "pending")]
    again = (await gql(ANSWER, {"o": o["id"], "kind": "PROGRESS", "t": "已联系诉求人，明早到场", "k": "p-1"}, token=sup))
    assert len(again["data"]["answerGovOrder"]["order"]["answers"]) == 1, "the same idempotency key sends nothing twice"

    # The wall: another project's supervisor and another company do not find it; an agent may not answer.
    for token in (sup2, await gql.login(other_org)):
        refused = (await gql(ANSWER, {"o": o["id"], "kind": "PROGRESS", "t": "x"}, token=token))["data"]["answerGovOrder"]
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [("NOT_FOUND", "orderId")]
        assert (await gql(ORDERS, {}, token=token))["data"]["govOrders"] == []
        assert (await gql(NODE, {"id": o["id"]}, token=token))["data"]["node"] is None
    assert (await gql(ANSWER, {"o": o["id"], "kind": "PROGRESS", "t": "x"}, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(NODE, {"id": o["id"]}, token=sup))["data"]["node"] == {"id": o["id"], "orderNumber": "A-1"}

    # Not within our remit: the reason is required, the body must be this project's.
    async with owner_engine.begin() as conn:
        bodies = {}
        for project in ("P1", "P2"):
            bodies[project] = (await conn.execute(text(
                "INSERT INTO outside_bodies (org_id, project_id, kind, name, delivery, created_by) "
                "VALUES (:o, :p, 'law_enforcement', :n, 'letter', 'test') RETURNING id"),
                {"o": org.org_id, "p": org.projects[project], "n": f"城管执法队{project}"})).scalar_one()
    no_reason = (await gql(ANSWER, {"o": o["id"], "kind": "RETURNED", "r": " "}, token=sup))["data"]["answerGovOrder"]
    assert [(e["code"], e["field"]) for e in no_reason["errors"]] == [("VALIDATION", "reason")]
    wrong_body = (await gql(ANSWER, {"o": o["id"], "kind": "RETURNED", "r": "属城管职责", "b": to_global_id("OutsideBody", bodies["P2"])},
                            token=sup))["data"]["answerGovOrder"]
    assert [(e["code"], e["field"]) for e in wrong_body["errors"]] == [("NOT_FOUND", "bodyId")]
    returned = (await gql(ANSWER, {"o": o["id"], "kind": "RETURNED", "r": "路灯属市政照明，非物业管理区域",
                                   "b": to_global_id("OutsideBody", bodies["P1"])}, token=sup))["data"]["answerGovOrder"]
    assert returned["errors"] == [], returned
    r = returned["order"]
    assert (r["status"], r["returnedReason"], r["resolvedOnTime"], r["case"]["state"]) == (
        "RETURNED", "路灯属市政照明，非物业管理区域", None, "DECLINED")
    assert [a["kind"] for a in r["answers"]] == ["progress", "returned"]
    [reply] = (await gql(REPLIES, {"c": r["case"]["id"]}, token=sup))["data"]["writtenReplies"]
    assert reply == {"reason": "路灯属市政照明，非物业管理区域", "basis": "12345 退单", "alternatives": ["请转交城管执法队P1办理"]}
    after = (await gql(ANSWER, {"o": o["id"], "kind": "PROGRESS", "t": "补充"}, token=sup))["data"]["answerGovOrder"]
    assert [e["code"] for e in after["errors"]] == ["INVALID_STATE"], "nothing after a return"
    async with owner_engine.connect() as conn:
        events = (await conn.execute(text("SELECT payload->>'answer' FROM outbox WHERE org_id = :o AND topic = 'gov_order.answered' "
                                          "ORDER BY created_at"), {"o": org.org_id})).scalars().all()
    assert events == ["progress", "returned"]

    # Rates of another company never count these.
    theirs = (await gql(RATES, {}, token=await gql.login(other_org)))["data"]["govOrderRates"]
    assert theirs["total"]["received"] == 0 and theirs["total"]["returned"] == 0
    ours = (await gql(RATES, {}, token=admin))["data"]["govOrderRates"]
    assert ours["total"]["received"] == 1 and ours["total"]["returned"] == 1
    bad = (await gql(ANSWER, {"o": to_global_id("Case", uuid.uuid4()), "kind": "PROGRESS", "t": "x"}, token=sup))
    assert [(e["code"], e["field"]) for e in bad["data"]["answerGovOrder"]["errors"]] == [("VALIDATION", "orderId")]
