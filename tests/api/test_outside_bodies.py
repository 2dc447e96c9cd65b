"""外部单位 The register of outside bodies: a project's supervisor adds, changes and switches them
off; a webhook body's signing secret is ours, shown once and stored encrypted; bad input is coded;
another company or project sees and changes nothing. Also the helpers the referral tests share."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user

BODY_FIELDS = ("body { id projectId kind kindLabel name delivery deliveryLabel webhookUrl email contactName contactPhone "
               "address hasSecret feedbackDays active inboundPath } secret errors { code field message }")
ADD = "mutation($i: OutsideBodyInput!, $k: String) { addOutsideBody(input: $i, idempotencyKey: $k) { %s } }" % BODY_FIELDS
UPDATE = ("mutation($b: ID!, $c: OutsideBodyChanges!) { updateOutsideBody(bodyId: $b, changes: $c) { %s } }" % BODY_FIELDS)
ROTATE = "mutation($b: ID!) { rotateOutsideBodySecret(bodyId: $b) { %s } }" % BODY_FIELDS
BODIES = "query($p: ID!) { outsideBodies(projectId: $p) { id name kindLabel active } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on OutsideBody { name } } }"


def body_input(project: str, **over) -> dict:
    base = {"projectId": project, "kind": "STREET_OFFICE", "name": "长宁街道办", "delivery": "LETTER", "address": "长宁路1号",
            "contactName": "王主任", "feedbackDays": 5}
    return {**base, **over}


async def add_body(gql, token: str, project: str, **over) -> dict:
    """A body added through the API: its fields and, for a webhook one, the secret shown once."""
    out = (await gql(ADD, {"i": body_input(project, **over)}, token=token))["data"]["addOutsideBody"]
    assert out["errors"] == [], out
    return out


async def test_a_webhook_body_gets_a_secret_once_stored_encrypted(gql, org, owner_engine, platform):
    admin = await gql.login(org)
    project = to_global_id("Project", org.projects["P1"])
    out = await add_body(gql, admin, project, kind="POLICE_STATION", name="新华路派出所", delivery="WEBHOOK",
                         webhookUrl="http://127.0.0.1:9/hook?token=x", address=None)
    body, secret = out["body"], out["secret"]
    assert (body["kindLabel"], body["deliveryLabel"], body["hasSecret"]) == ("派出所 Police station", "接口推送 Signed webhook", True)
    assert body["webhookUrl"] == "http://127.0.0.1:9/hook?…", "the query string is not shown"
    assert secret.startswith("fcs_") and len(secret) > 40
    async with owner_engine.connect() as conn:
        stored = (await conn.execute(text("SELECT secret_enc FROM outside_bodies WHERE name = '新华路派出所' AND org_id = :o"),
                                     {"o": org.org_id})).scalar_one()
    assert secret.encode() not in stored and platform.cipher.decrypt(stored) == secret

    rotated = (await gql(ROTATE, {"b": body["id"]}, token=admin))["data"]["rotateOutsideBodySecret"]
    assert rotated["errors"] == [] and rotated["secret"] not in (None, secret)
    listed = (await gql(BODIES, {"p": project}, token=admin))["data"]["outsideBodies"]
    assert [b["name"] for b in listed] == ["新华路派出所"] and "secret" not in str(listed)


async def test_a_retried_add_makes_one_body_and_shows_no_secret_again(gql, org):
    admin = await gql.login(org)
    project = to_global_id("Project", org.projects["P1"])
    variables = {"i": body_input(project, delivery="WEBHOOK", webhookUrl="http://127.0.0.1:9/hook", address=None), "k": "add-body-1"}
    first = (await gql(ADD, variables, token=admin))["data"]["addOutsideBody"]
    again = (await gql(ADD, variables, token=admin))["data"]["addOutsideBody"]
    assert first["secret"] and again["secret"] is None and again["body"]["id"] == first["body"]["id"]
    assert len((await gql(BODIES, {"p": project}, token=admin))["data"]["outsideBodies"]) == 1


async def test_changes_keep_what_is_left_out_and_a_new_webhook_gets_its_secret(gql, org):
    admin = await gql.login(org)
    body = (await add_body(gql, admin, to_global_id("Project", org.projects["P1"])))["body"]
    assert body["hasSecret"] is False
    changes = {"contactPhone": "021-6000 0000", "feedbackDays": 10}
    out = (await gql(UPDATE, {"b": body["id"], "c": changes}, token=admin))["data"]["updateOutsideBody"]
    assert out["errors"] == [] and out["secret"] is None
    assert (out["body"]["contactPhone"], out["body"]["feedbackDays"], out["body"]["address"], out["body"]["contactName"]) == (
        "021-6000 0000", 10, "长宁路1号", "王主任")
    changes = {"delivery": "WEBHOOK", "webhookUrl": "http://127.0.0.1:9/h"}
    out = (await gql(UPDATE, {"b": body["id"], "c": changes}, token=admin))["data"]["updateOutsideBody"]
    assert out["errors"] == [] and out["secret"] and out["body"]["hasSecret"] and out["body"]["deliveryLabel"] == "接口推送 Signed webhook"
    out = (await gql(UPDATE, {"b": body["id"], "c": {"active": False}}, token=admin))["data"]["updateOutsideBody"]
    assert out["body"]["active"] is False and out["body"]["webhookUrl"] == "http://127.0.0.1:9/h"


async def test_bad_input_is_coded_and_nothing_is_stored(gql, org):
    admin = await gql.login(org)
    project = to_global_id("Project", org.projects["P1"])
    for over, field in (({"name": ""}, "name"), ({"feedbackDays": 0}, "feedbackDays"), ({"delivery": "EMAIL"}, "email"),
                        ({"delivery": "WEBHOOK", "address": None, "webhookUrl": "javascript:alert(1)"}, "webhookUrl"),
                        ({"address": None}, "address"), ({"projectId": to_global_id("Case", org.projects["P1"])}, "projectId")):
        out = (await gql(ADD, {"i": body_input(project, **over)}, token=admin))["data"]["addOutsideBody"]
        assert out["body"] is None and [(e["code"], e["field"]) for e in out["errors"]] == [("VALIDATION", field)], (over, out)
    await add_body(gql, admin, project)
    twice = (await gql(ADD, {"i": body_input(project)}, token=admin))["data"]["addOutsideBody"]
    assert [(e["code"], e["field"]) for e in twice["errors"]] == [("CONFLICT", "name")]
    body = (await gql(BODIES, {"p": project}, token=admin))["data"]["outsideBodies"][0]
    out = (await gql(UPDATE, {"b": body["id"], "c": {"feedbackDays": 100}}, token=admin))["data"]["updateOutsideBody"]
    assert [(e["code"], e["field"]) for e in out["errors"]] == [("VALIDATION", "feedbackDays")]
    assert len((await gql(BODIES, {"p": project}, token=admin))["data"]["outsideBodies"]) == 1


async def test_another_company_or_project_sees_and_changes_nothing(gql, org, other_org, owner_engine):
    admin = await gql.login(org)
    p1, p2 = (to_global_id("Project", org.projects[c]) for c in ("P1", "P2"))
    body = (await add_body(gql, admin, p1))["body"]
    await add_user(owner_engine, org, "sup2", "cs_supervisor", "P2")
    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    outsider, sup2, agent1 = await gql.login(other_org), await gql.login(org, "sup2"), await gql.login(org, "agent1")
    for token in (outsider, sup2):
        assert (await gql(BODIES, {"p": p1}, token=token))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert (await gql(NODE, {"id": body["id"]}, token=token))["data"]["node"] is None
        changed = (await gql(UPDATE, {"b": body["id"], "c": {"active": False}}, token=token))["data"]["updateOutsideBody"]
        assert [e["code"] for e in changed["errors"]] == ["NOT_FOUND"]
        rotated = (await gql(ROTATE, {"b": body["id"]}, token=token))["data"]["rotateOutsideBodySecret"]
        assert [e["code"] for e in rotated["errors"]] == ["NOT_FOUND"] and rotated["secret"] is None
    refused = (await gql(ADD, {"i": body_input(p1, name="越权")}, token=sup2))["data"]["addOutsideBody"]
    foreign = (await gql(ADD, {"i": body_input(p1, name="别家")}, token=outsider))["data"]["addOutsideBody"]
    assert refused["errors"] == foreign["errors"] and [e["code"] for e in foreign["errors"]] == ["NOT_FOUND"]
    refused = await gql(ADD, {"i": body_input(p1, name="坐席")}, token=agent1)
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"], "an agent may not manage bodies"
    listed = (await gql(BODIES, {"p": p1}, token=admin))["data"]["outsideBodies"]
    assert [(b["name"], b["active"]) for b in listed] == [("长宁街道办", True)]
    assert (await gql(NODE, {"id": body["id"]}, token=agent1))["data"]["node"] == {"id": body["id"], "name": "长宁街道办"}
