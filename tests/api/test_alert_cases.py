"""Alert.cases and the alert's acknowledger and resolver as people: the cases come batched (one
statement for every alert of the list) and only those the caller may see — never another
project's the caller cannot see, never another company's, even if an alert named one."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.conftest import REGISTER, case_input, statements_of
from tests.api.test_org_overview import settle
from tests.conftest import add_unit

LIST = ("{ alerts(state: null) { id rule state caseIds cases { id number project { name } } "
        "acknowledger { kind displayName } resolver { kind displayName } acknowledgedBy } }")
ACK = "mutation($a: ID!) { acknowledgeAlert(alertId: $a) { errors { code } } }"
RESOLVE = "mutation($a: ID!) { resolveAlert(alertId: $a, note: \"已回电安抚\") { errors { code } } }"
NODE = "query($id: ID!) { node(id: $id) { ... on Alert { id cases { id } acknowledger { displayName } } } }"


async def register(gql, token, desk, **over) -> dict:
    body = await gql(REGISTER, {"i": case_input(desk, **over)}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]


async def test_an_alerts_cases_and_who_handled_it(gql, desk, org, other_org, owner_engine, platform, stub_worker):
    agent, sup, admin = desk["agent"][1], desk["sup"][1], await gql.login(org)
    skip = await register(gql, agent, desk, kind="COMPLAINT", channel="GOV_12345", category="noise", description="热线转来：夜间施工噪音")
    risky = await register(gql, agent, desk, description="再不修好我就找媒体曝光")
    unit, _ = await add_unit(owner_engine, other_org, "P1")
    their_desk = {"unit": to_global_id("Unit", unit), "project": to_global_id("Project", other_org.projects["P1"])}
    outsider = await gql.login(other_org)
    theirs = await register(gql, outsider, their_desk, description="再不修好我就找媒体曝光")
    await settle(platform, stub_worker)

    alerts = {a["rule"]: a for a in (await gql(LIST, token=agent))["data"]["alerts"]}
    assert [c["id"] for c in alerts["skip_level"]["cases"]] == [skip["id"]] == alerts["skip_level"]["caseIds"]
    assert [c["number"] for c in alerts["risk_words"]["cases"]] == [risky["number"]]
    assert alerts["risk_words"]["cases"][0]["project"]["name"] == "项目1"
    assert all(a["acknowledger"] is None and a["resolver"] is None for a in alerts.values())

    assert (await gql(ACK, {"a": alerts["skip_level"]["id"]}, token=sup))["data"]["acknowledgeAlert"]["errors"] == []
    assert (await gql(RESOLVE, {"a": alerts["risk_words"]["id"]}, token=admin))["data"]["resolveAlert"]["errors"] == []
    alerts = {a["rule"]: a for a in (await gql(LIST, token=agent))["data"]["alerts"]}
    assert alerts["skip_level"]["acknowledger"] == {"kind": "USER", "displayName": "sup"}
    assert alerts["skip_level"]["resolver"] is None
    assert alerts["skip_level"]["acknowledgedBy"].startswith("user:"), "the old label stays, deprecated"
    admin_name = alerts["risk_words"]["resolver"]["displayName"]
    assert admin_name and admin_name != "未知 Unknown"
    assert alerts["risk_words"]["acknowledger"] == alerts["risk_words"]["resolver"], "resolved straight away: acknowledged by the same"

    # An alert naming a case of a project the agent cannot see, and another company's case: the
    # agent sees neither (the ids stay, as they were); the company-wide admin sees the project's.
    p2_unit, _ = await add_unit(owner_engine, org, "P2")
    p2 = await register(gql, admin, {"unit": to_global_id("Unit", p2_unit), "project": to_global_id("Project", org.projects["P2"])})
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE alerts SET case_ids = case_ids || ARRAY[CAST(:p2 AS uuid), CAST(:x AS uuid)] WHERE id = :a"),
                           {"p2": from_global_id(p2["id"], "Case"), "x": from_global_id(theirs["id"], "Case"),
                            "a": from_global_id(alerts["skip_level"]["id"], "Alert")})
    as_agent = {a["rule"]: a for a in (await gql(LIST, token=agent))["data"]["alerts"]}["skip_level"]
    assert [c["id"] for c in as_agent["cases"]] == [skip["id"]]
    as_admin = {a["rule"]: a for a in (await gql(LIST, token=admin))["data"]["alerts"]}["skip_level"]
    assert [c["id"] for c in as_admin["cases"]] == [skip["id"], p2["id"]]

    # The other company: its own alert only, and ours is not found.
    mine = {a["id"] for a in (await gql(LIST, token=admin))["data"]["alerts"]}
    seen = (await gql(LIST, token=outsider))["data"]["alerts"]
    assert [[c["id"] for c in a["cases"]] for a in seen] == [[theirs["id"]]] and not {a["id"] for a in seen} & mine
    assert (await gql(NODE, {"id": alerts["skip_level"]["id"]}, token=outsider))["data"]["node"] is None


async def test_cases_and_handlers_cost_a_statement_each_however_many_alerts(gql, desk, org, platform, stub_worker):
    agent, sup = desk["agent"][1], desk["sup"][1]
    await register(gql, agent, desk, kind="COMPLAINT", channel="GOV_12345", category="noise", description="热线转来：夜间施工噪音")
    await register(gql, agent, desk, description="再不修好我就找媒体曝光")
    await settle(platform, stub_worker)
    for a in (await gql("{ alerts { id } }", token=agent))["data"]["alerts"]:
        assert (await gql(ACK, {"a": a["id"]}, token=sup))["data"]["acknowledgeAlert"]["errors"] == []
    base = await statements_of(platform, org, "{ alerts(state: null) { id } }")
    full = await statements_of(platform, org, "{ alerts(state: null) { id cases { id number } acknowledger { displayName } "
                                              "resolver { displayName } } }")
    assert full - base == 2, (base, full)
