"""12345 热线对接 as a signed integration through the API, shaped as the payment and telephony
integrations are (addGovIntegration, setGovIntegrationActive, rotateGovIntegrationSecret,
govIntegrations): the secret shown once, a replayed key answering the first result, `updatedAt`
moved by each switch and rotation, `lastUsedAt` by each order; the walls between projects and
companies for every query and mutation, the permission guard, and the deprecated bridge fields
still working on the same bridge."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._gov import order, post
from tests.api.test_fee_api import data
from tests.conftest import add_user

FIELDS = "id name city callbackUrl active inboundPath lastUsedAt updatedAt createdBy receiver { username }"
ADD = f"""mutation($p: ID!, $r: ID!, $u: String! = "http://127.0.0.1:9/cb", $k: String) {{ addGovIntegration(projectId: $p,
  name: "北京12345", city: "北京市", callbackUrl: $u, receiverId: $r, idempotencyKey: $k) {{
  integration {{ {FIELDS} }} secret errors {{ code field message }} }} }}"""
ACTIVE = """mutation($i: ID!, $a: Boolean!, $k: String) { setGovIntegrationActive(integrationId: $i, active: $a, idempotencyKey: $k) {
  integration { active updatedAt } errors { code field } } }"""
ROTATE = """mutation($i: ID!, $k: String) { rotateGovIntegrationSecret(integrationId: $i, idempotencyKey: $k) {
  integration { id updatedAt } secret errors { code field } } }"""
LIST = f"query($p: ID!) {{ govIntegrations(projectId: $p) {{ {FIELDS} }} }}"
OLD_SWITCH = """mutation($b: ID!, $a: Boolean!) { setGovBridgeActive(bridgeId: $b, active: $a) { bridge { active updatedAt }
  errors { code field } } }"""
OLD_ROTATE = "mutation($b: ID!) { rotateGovBridgeSecret(bridgeId: $b) { bridge { id } secret errors { code field } } }"


async def _state(owner_engine, *orgs) -> list:
    """Every bridge's switch and secret, and the audit rows, of each company: what a refusal must leave alone."""
    async with owner_engine.connect() as conn:
        return [(await conn.execute(text(
            "SELECT (SELECT string_agg(active || ':' || encode(secret_enc, 'hex') || ':' || updated_at, ',' ORDER BY id) "
            " FROM gov_bridges WHERE org_id = :o), (SELECT count(*) FROM audit_log WHERE org_id = :o)"),
            {"o": o.org_id})).one() for o in orgs]


async def test_a_12345_bridge_is_switched_as_every_signed_integration(gql, client, org, owner_engine):
    receiver = await add_user(owner_engine, org, "receiver", "cs_agent", "P1")
    admin = await gql.login(org)
    p1, r = to_global_id("Project", org.projects["P1"]), to_global_id("User", receiver)
    made = data(await gql(ADD, {"p": p1, "r": r, "k": "gov-1"}, token=admin), "addGovIntegration")
    assert made["errors"] == [] and made["secret"].startswith("fcs_"), made
    bridge = made["integration"]
    assert (bridge["active"], bridge["lastUsedAt"], bridge["receiver"]) == (True, None, {"username": "receiver"})
    assert bridge["inboundPath"].startswith("/bridge/12345/") and bridge["id"].startswith("R292QnJpZGdl")  # GovBridge:…
    replay = data(await gql(ADD, {"p": p1, "r": r, "k": "gov-1"}, token=admin), "addGovIntegration")
    assert replay["integration"]["id"] == bridge["id"] and replay["secret"] is None, "a replay never re-shows the secret"
    other = data(await gql(ADD, {"p": p1, "r": r, "k": "gov-1", "u": "http://127.0.0.1:9/other"}, token=admin), "addGovIntegration")
    assert [e["code"] for e in other["errors"]] == ["CONFLICT"], "the same key with other input"

    off = data(await gql(ACTIVE, {"i": bridge["id"], "a": False, "k": "off-1"}, token=admin), "setGovIntegrationActive")
    assert off["errors"] == [] and off["integration"]["active"] is False and off["integration"]["updatedAt"] > bridge["updatedAt"]
    again = data(await gql(ACTIVE, {"i": bridge["id"], "a": False, "k": "off-1"}, token=admin), "setGovIntegrationActive")
    assert again["integration"]["updatedAt"] == off["integration"]["updatedAt"], "a replayed key changes nothing"
    assert (await post(client, {**bridge, "secret": made["secret"]}, order("G-1"))).status_code == 403, "off: refused"

    data(await gql(ACTIVE, {"i": bridge["id"], "a": True}, token=admin), "setGovIntegrationActive")
    rotated = data(await gql(ROTATE, {"i": bridge["id"], "k": "rekey-1"}, token=admin), "rotateGovIntegrationSecret")
    assert rotated["errors"] == [] and rotated["secret"] not in (None, made["secret"])
    assert data(await gql(ROTATE, {"i": bridge["id"], "k": "rekey-1"}, token=admin), "rotateGovIntegrationSecret")["secret"] is None
    assert (await post(client, {**bridge, "secret": made["secret"]}, order("G-2"))).status_code == 401, "the old secret"
    assert (await post(client, {**bridge, "secret": rotated["secret"]}, order("G-2"))).status_code == 200
    [listed] = data(await gql(LIST, {"p": p1}, token=admin), "govIntegrations")
    assert listed["lastUsedAt"] is not None and listed["updatedAt"] == rotated["integration"]["updatedAt"]

    # The deprecated fields act on the same bridge, and name their own argument in errors.
    old = data(await gql(OLD_SWITCH, {"b": bridge["id"], "a": False}, token=admin), "setGovBridgeActive")
    assert old["errors"] == [] and old["bridge"]["active"] is False
    assert data(await gql(OLD_ROTATE, {"b": bridge["id"]}, token=admin), "rotateGovBridgeSecret")["secret"].startswith("fcs_")
    missing = to_global_id("GovBridge", org.projects["P1"])  # an id of no bridge
    assert data(await gql(OLD_SWITCH, {"b": missing, "a": True}, token=admin), "setGovBridgeActive")["errors"] == [
        {"code": "NOT_FOUND", "field": "bridgeId"}]
    assert data(await gql(ACTIVE, {"i": missing, "a": True}, token=admin), "setGovIntegrationActive")["errors"] == [
        {"code": "NOT_FOUND", "field": "integrationId"}]


async def test_the_walls_and_the_permission_around_12345_integrations(gql, org, other_org, owner_engine):
    receiver = await add_user(owner_engine, org, "receiver", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    far_receiver = await add_user(owner_engine, other_org, "receiver", "cs_agent", "P1")
    pm1, pm2, agent = await gql.login(org, "pm1"), await gql.login(org, "pm2"), await gql.login(org, "receiver")
    stranger = await gql.login(other_org)
    p1, r = to_global_id("Project", org.projects["P1"]), to_global_id("User", receiver)
    bridge = data(await gql(ADD, {"p": p1, "r": r}, token=pm1), "addGovIntegration")["integration"]
    far = data(await gql(ADD, {"p": to_global_id("Project", other_org.projects["P1"]), "r": to_global_id("User", far_receiver)},
                         token=stranger), "addGovIntegration")["integration"]
    assert bridge and far, "each company's manager adds one to its own project"
    before = await _state(owner_engine, org, other_org)

    for token in (pm2, stranger):  # another project's manager, another company's: not found, never forbidden
        assert data(await gql(ADD, {"p": p1, "r": r}, token=token), "addGovIntegration")["errors"][0]["code"] == "NOT_FOUND"
        for doc, name, variables in ((ACTIVE, "setGovIntegrationActive", {"i": bridge["id"], "a": False}),
                                     (ROTATE, "rotateGovIntegrationSecret", {"i": bridge["id"]})):
            assert data(await gql(doc, variables, token=token), name)["errors"] == [{"code": "NOT_FOUND", "field": "integrationId"}]
        assert (await gql(LIST, {"p": p1}, token=token))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # A receiver of the other company is no receiver here; the other company's bridge is out of reach.
    assert data(await gql(ADD, {"p": p1, "r": to_global_id("User", far_receiver)}, token=pm1), "addGovIntegration")["errors"][0][
        "field"] == "receiverId"
    assert data(await gql(ACTIVE, {"i": far["id"], "a": False}, token=pm1), "setGovIntegrationActive")["errors"][0]["code"] == \
        "NOT_FOUND"
    assert [b["id"] for b in data(await gql(LIST, {"p": p1}, token=pm1), "govIntegrations")] == [bridge["id"]]
    for doc, variables in ((ADD, {"p": p1, "r": r}), (ACTIVE, {"i": bridge["id"], "a": False}), (ROTATE, {"i": bridge["id"]}),
                           (LIST, {"p": p1})):  # the desk does not manage bridges
        assert (await gql(doc, variables, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _state(owner_engine, org, other_org) == before
