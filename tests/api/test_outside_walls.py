"""The walls around outside bodies and 12345 that the feature tests leave to each other: a
company's city deadlines, the rates of another project, secrets a refused caller could not
rotate, the functions that cross the wall, and the sweep across two companies."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._gov import RATES, add_bridge, order, post
from tests.api.conftest import desk  # noqa: F401 — fixture
from tests.api.test_gov_inbound import SET_CITY, bridge_of
from tests.api.test_outside_bodies import ADD, ROTATE, body_input
from tests.api.test_referrals import referred
from tests.workers.test_referral_sweep import _in_the_past
from tests.conftest import add_user
from workers.referral_sweep import sweep

CITY = "query($c: String) { govCityDeadlines(city: $c) { city urgency resolveMinutes isDefault } }"
ROTATE_BRIDGE = "mutation($b: ID!) { rotateGovBridgeSecret(bridgeId: $b) { secret errors { code } } }"
SET_ACTIVE = "mutation($b: ID!, $a: Boolean!) { setGovBridgeActive(bridgeId: $b, active: $a) { errors { code } } }"
REGISTER = "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id } errors { code } } }"
COMMIT = "mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }"
REFER = ("mutation($c: ID!, $b: ID!) { referCase(caseId: $c, bodyId: $b, reason: \"属城管职责\", requestedAction: \"请查处\") "
         "{ referral { id } errors { code } } }")


async def secret_of(owner_engine, table: str, org) -> bytes:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(f"SELECT secret_enc FROM {table} WHERE org_id = :o"), {"o": org.org_id})).scalar_one()


async def test_a_companys_city_deadlines_are_its_own(gql, org, other_org):
    ours, theirs = await gql.login(org), await gql.login(other_org)
    day = [{"urgency": "DAY", "responseMinutes": 60, "resolveMinutes": 600}]
    assert (await gql(SET_CITY, {"c": "北京市", "d": day}, token=ours))["data"]["setGovCityDeadlines"]["errors"] == []
    seen = (await gql(CITY, {"c": "北京市"}, token=theirs))["data"]["govCityDeadlines"]
    assert all(d["isDefault"] for d in seen) and {d["resolveMinutes"] for d in seen if d["urgency"] == "DAY"} == {1440}
    other = [{"urgency": "DAY", "responseMinutes": 30, "resolveMinutes": 300}]
    assert (await gql(SET_CITY, {"c": "北京市", "d": other}, token=theirs))["data"]["setGovCityDeadlines"]["errors"] == []
    mine = (await gql(CITY, {"c": "北京市"}, token=ours))["data"]["govCityDeadlines"]
    assert [(d["resolveMinutes"], d["isDefault"]) for d in mine if d["urgency"] == "DAY"] == [(600, False)], "B's write left A alone"


async def test_another_projects_people_count_none_of_its_orders(gql, client, org, owner_engine):
    _, bridge = await bridge_of(gql, org, owner_engine, "P1")
    assert (await post(client, bridge, order("WALL-1"))).status_code == 200
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    pm2 = await gql.login(org, "pm2")
    own = (await gql(RATES, {"p": None}, token=pm2))["data"]["govOrderRates"]
    assert [p["projectCode"] for p in own["projects"]] == ["P2"] and own["total"]["received"] == 0
    asked = await gql(RATES, {"p": to_global_id("Project", org.projects["P1"])}, token=pm2)
    assert asked["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    hq = (await gql(RATES, {"p": None}, token=await gql.login(org)))["data"]["govOrderRates"]
    assert hq["total"]["received"] == 1


async def test_refused_callers_change_no_secret_and_no_switch(gql, org, other_org, owner_engine):
    admin = await gql.login(org)
    body = (await gql(ADD, {"i": body_input(to_global_id("Project", org.projects["P1"]), delivery="WEBHOOK",
                                            webhookUrl="https://jd.example.gov.cn/hook", address=None)}, token=admin))["data"]
    receiver = await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    bridge = await add_bridge(gql, admin, to_global_id("Project", org.projects["P1"]), to_global_id("User", receiver),
                              "https://12345.example.gov.cn/cb")
    body_secret, bridge_secret = await secret_of(owner_engine, "outside_bodies", org), await secret_of(owner_engine, "gov_bridges", org)
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    for token in (await gql.login(other_org), await gql.login(org, "pm2")):
        rotated = (await gql(ROTATE, {"b": body["addOutsideBody"]["body"]["id"]}, token=token))["data"]["rotateOutsideBodySecret"]
        assert rotated["secret"] is None and rotated["errors"]
        out = await gql(ROTATE_BRIDGE, {"b": bridge["id"]}, token=token)
        assert (out["data"]["rotateGovBridgeSecret"]["secret"] is None and out["data"]["rotateGovBridgeSecret"]["errors"])
        off = await gql(SET_ACTIVE, {"b": bridge["id"], "a": False}, token=token)
        assert off["data"]["setGovBridgeActive"]["errors"]
    assert await secret_of(owner_engine, "outside_bodies", org) == body_secret
    assert await secret_of(owner_engine, "gov_bridges", org) == bridge_secret
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT active FROM gov_bridges WHERE org_id = :o"), {"o": org.org_id})).scalar_one()


async def test_the_functions_that_cross_the_wall_name_only_ids(platform, gql, org, owner_engine):
    admin = await gql.login(org)
    body = (await gql(ADD, {"i": body_input(to_global_id("Project", org.projects["P2"]))}, token=admin))["data"]
    receiver = await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    bridge = await add_bridge(gql, admin, to_global_id("Project", org.projects["P1"]), to_global_id("User", receiver),
                              "https://12345.example.gov.cn/cb")
    async with owner_engine.connect() as conn:
        body_id = (await conn.execute(text("SELECT id FROM outside_bodies WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert body["addOutsideBody"]["errors"] == []
    async with platform.transaction(None) as conn:
        found = (await conn.execute(text("SELECT * FROM outside_body_tenant(:i)"), {"i": body_id})).one()
        assert tuple(found) == (org.org_id, org.projects["P2"]) and list(found._fields) == ["org_id", "project_id"]
        bridge_found = (await conn.execute(text("SELECT * FROM gov_bridge_tenant(:i)"), {"i": bridge["uuid"]})).one()
        assert tuple(bridge_found) == (org.org_id, org.projects["P1"])
        assert (await conn.execute(text("SELECT * FROM gov_bridge_tenant(:i)"), {"i": body_id})).first() is None
        # Outside a company's wall the tables themselves stay shut.
        assert (await conn.execute(text("SELECT count(*) FROM outside_bodies"))).scalar() == 0
        assert (await conn.execute(text("SELECT count(*) FROM gov_bridges"))).scalar() == 0


async def test_the_sweep_works_each_company_in_its_own_wall(gql, desk, org, other_org, owner_engine, platform):  # noqa: F811
    """Company B has an overdue referral; A's is answered. One sweep reminds and escalates B's in
    B only, and leaves A's alone."""
    theirs = await gql.login(other_org)
    project = to_global_id("Project", other_org.projects["P1"])
    body = (await gql(ADD, {"i": body_input(project)}, token=theirs))["data"]["addOutsideBody"]["body"]
    case = (await gql(REGISTER, {"i": {"projectId": project, "kind": "COMPLAINT", "channel": "PHONE", "category": "noise",
                                       "publicArea": "小区南门", "description": "工地夜间施工噪音"}}, token=theirs))["data"]["registerCase"]
    assert (await gql(COMMIT, {"c": case["case"]["id"]}, token=theirs))["data"]["commitCase"]["errors"] == []
    assert (await gql(REFER, {"c": case["case"]["id"], "b": body["id"]}, token=theirs))["data"]["referCase"]["errors"] == []
    _, _, ours = await referred(gql, desk)
    await gql("mutation($r: ID!) { recordReferralFeedback(referralId: $r, feedback: ANSWERED, note: \"已处理\") { errors { code } } }",
              {"r": ours["id"]}, token=desk["sup"][1])
    # B's referral sent 90 days ago (A's too): the sweep's "now" stays before the database's clock,
    # which its finder holds every caller's time to.
    for o in (org, other_org):
        await _in_the_past(owner_engine, o)
    async with owner_engine.connect() as conn:
        due = (await conn.execute(text("SELECT due_at FROM referrals WHERE org_id = :o"), {"o": other_org.org_id})).scalar_one()
    await sweep(platform, now=due + timedelta(days=8))
    async with owner_engine.connect() as conn:
        def count(sql: str, o) -> int:
            return conn.execute(text(sql), {"o": o.org_id})
        b_levels = (await count("SELECT array_agg(level ORDER BY level) FROM escalations WHERE org_id = :o "
                                "AND reason = 'referral_overdue'", other_org)).scalar()
        b_reminders = (await count("SELECT count(*) FROM deliveries WHERE org_id = :o AND topic = 'referral.reminded'", other_org)).scalar()
        a_steps = (await count("SELECT count(*) FROM referral_updates WHERE org_id = :o AND kind IN ('reminded', 'escalated')",
                               org)).scalar()
        a_escalations = (await count("SELECT count(*) FROM escalations WHERE org_id = :o AND reason = 'referral_overdue'", org)).scalar()
    assert b_levels == ["l1", "l2", "l3"] and b_reminders == 2
    assert a_steps == 0 and a_escalations == 0
