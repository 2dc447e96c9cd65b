"""客情预警 through the real path (API → outbox → worker): each rule of DESIGN §5 a new case can
trip — skip-level, risk words, the cluster of residents of one building, the repeat
complainant — one open alert per rule and scope, the lifecycle, and the wall between companies."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import settle
from tests.conftest import add_user

ALERTS = "query($s: String) { alerts(state: $s) { id rule ruleLabel colour title detail caseIds state resolutionNote } }"
ACK = "mutation($a: ID!) { acknowledgeAlert(alertId: $a) { alert { state } errors { code field } } }"
RESOLVE = "mutation($a: ID!, $n: String!) { resolveAlert(alertId: $a, note: $n) { alert { state resolutionNote } errors { code field } } }"


async def building(owner_engine, org, residents: int) -> list[tuple[str, str]]:
    """One building of P1 with a flat and a resident each: [(unit gid, resident gid)]."""
    b = uuid.uuid4()
    out = []
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, '7号楼')"),
                           {"o": org.org_id, "p": org.projects["P1"], "b": b})
        for i in range(residents):
            u, r = uuid.uuid4(), uuid.uuid4()
            await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor) "
                                    "VALUES (:o, :p, :u, :b, :n, 1)"),
                               {"o": org.org_id, "p": org.projects["P1"], "u": u, "b": b, "n": f"1{i:02d}"})
            await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name) VALUES (:o, :p, :r, :n)"),
                               {"o": org.org_id, "p": org.projects["P1"], "r": r, "n": f"住户{i}"})
            await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
                                    "VALUES (:o, :p, :u, :r, 'owner', true)"),
                               {"o": org.org_id, "p": org.projects["P1"], "r": r, "u": u})
            out.append((to_global_id("Unit", u), to_global_id("Resident", r)))
    return out


async def alerts_of(gql, token, rule: str | None = None, state: str | None = "open") -> list[dict]:
    found = (await gql(ALERTS, {"s": state}, token=token))["data"]["alerts"]
    return [a for a in found if rule is None or a["rule"] == rule]


async def test_skip_level_and_risk_words(gql, desk, org, platform, stub_worker):
    agent = desk["agent"][1]
    await gql(REGISTER, {"i": case_input(desk, kind="COMPLAINT", channel="GOV_12345", category="noise",
                                         description="热线转来：夜间施工噪音")}, token=agent)
    await gql(REGISTER, {"i": case_input(desk, description="再不修好我就找媒体曝光")}, token=agent)
    await gql(REGISTER, {"i": case_input(desk, description="电梯异响，请尽快检修")}, token=agent)
    await settle(platform, stub_worker)
    skip = await alerts_of(gql, agent, "skip_level")
    assert [(a["colour"], a["title"][:5]) for a in skip] == [("red", "越级投诉：")]
    risk = await alerts_of(gql, agent, "risk_words")
    assert len(risk) == 1 and risk[0]["colour"] == "red" and risk[0]["detail"] == "诉求中出现：媒体、曝光。"
    assert len(await alerts_of(gql, agent)) == 2, "an ordinary request raises nothing"


async def test_six_residents_of_one_building_are_a_cluster_and_one_alert_climbs(gql, desk, owner_engine, org, platform, stub_worker):
    agent, admin = desk["agent"][1], await gql.login(org)
    flats = await building(owner_engine, org, 8)
    for unit, resident in flats[:6]:
        await gql(REGISTER, {"i": case_input(desk, unitId=unit, reporterResidentId=resident, category="water_power",
                                             description="家里停水了")}, token=agent)
    await settle(platform, stub_worker)
    cluster = await alerts_of(gql, agent, "cluster")
    assert [(a["colour"], len(a["caseIds"])) for a in cluster] == [("orange", 6)]
    assert cluster[0]["title"] == "群发诉求：7号楼「水电」" and cluster[0]["detail"] == "24小时内6位住户反映同类问题。"

    settings = "mutation($i: AlertSettingsInput!) { setAlertSettings(input: $i) { settings { clusterRed } errors { code field } } }"
    assert (await gql(settings, {"i": {"clusterRed": 7}}, token=admin))["data"]["setAlertSettings"] == {
        "settings": {"clusterRed": 7}, "errors": []}
    assert (await gql(settings, {"i": {"clusterOrange": 9, "clusterRed": 7}}, token=admin))["data"]["setAlertSettings"]["errors"] == [
        {"code": "VALIDATION", "field": "clusterOrange"}]
    unit, resident = flats[6]
    await gql(REGISTER, {"i": case_input(desk, unitId=unit, reporterResidentId=resident, category="water_power",
                                         description="也停水了")}, token=agent)
    await settle(platform, stub_worker)
    cluster = await alerts_of(gql, agent, "cluster")
    assert [(a["colour"], len(a["caseIds"])) for a in cluster] == [("red", 7)], "the same alert, more serious"
    async with owner_engine.connect() as conn:
        told = (await conn.execute(text("SELECT payload->>'colour' FROM outbox WHERE org_id = :o AND topic = 'alert.raised' "
                                        "AND payload->>'rule' = 'cluster' ORDER BY created_at"), {"o": org.org_id})).scalars().all()
    assert told == ["orange", "red"], "subscribers hear of the opening and of the change of colour, not of every case"


async def test_repeat_complainant_and_the_lifecycle(gql, desk, owner_engine, org, other_org, platform, stub_worker):
    agent = desk["agent"][1]
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    hq = await gql.login(org, "hq")
    (unit, resident), = await building(owner_engine, org, 1)
    for text_ in ("楼上漏水", "漏水还没修", "第三次反映漏水"):
        await gql(REGISTER, {"i": case_input(desk, kind="COMPLAINT", category="leakage", unitId=unit, reporterResidentId=resident,
                                             description=text_)}, token=agent)
    await settle(platform, stub_worker)
    repeat = await alerts_of(gql, hq, "repeat_complainant")
    assert [(a["colour"], a["title"], len(a["caseIds"])) for a in repeat] == [("orange", "重复投诉：住户0", 3)]
    a = repeat[0]["id"]

    outsider = await gql.login(other_org)
    assert await alerts_of(gql, outsider, state=None) == []
    assert (await gql(ACK, {"a": a}, token=outsider))["data"]["acknowledgeAlert"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql(ACK, {"a": a}, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    assert (await gql(ACK, {"a": a}, token=hq))["data"]["acknowledgeAlert"] == {"alert": {"state": "acknowledged"}, "errors": []}
    assert (await gql(ACK, {"a": a}, token=hq))["data"]["acknowledgeAlert"]["errors"][0]["code"] == "INVALID_STATE"
    assert (await gql(RESOLVE, {"a": a, "n": " "}, token=hq))["data"]["resolveAlert"]["errors"] == [{"code": "VALIDATION", "field": "note"}]
    done = (await gql(RESOLVE, {"a": a, "n": "项目经理上门，已更换防水层"}, token=hq))["data"]["resolveAlert"]
    assert done == {"alert": {"state": "resolved", "resolutionNote": "项目经理上门，已更换防水层"}, "errors": []}
    assert (await gql(RESOLVE, {"a": a, "n": "再次"}, token=hq))["data"]["resolveAlert"]["errors"][0]["code"] == "INVALID_STATE"

    # Resolved, the rule may open a new alert for the same resident.
    await gql(REGISTER, {"i": case_input(desk, kind="COMPLAINT", category="leakage", unitId=unit, reporterResidentId=resident,
                                         description="第四次")}, token=agent)
    await settle(platform, stub_worker)
    assert len(await alerts_of(gql, hq, "repeat_complainant")) == 1
    assert len(await alerts_of(gql, hq, "repeat_complainant", state="resolved")) == 1
