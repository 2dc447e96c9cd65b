"""客情预警 over windows, through the real path (API → outbox → worker; the real SLA scanner for
the timers): a case reopened twice, a project's SLA breach rate, its satisfaction rate, the
thresholds per company, and the wall between companies."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.conftest import REGISTER, case_input
from tests.api.test_alerts import alerts_of, building
from tests.api.test_org_overview import settle
from tests.api.test_sla import run
from tests.conftest import add_unit, add_user
from workers.sla_scanner import fire_due

SETTINGS = ("mutation($i: AlertSettingsInput!) { setAlertSettings(input: $i) { settings { repeatReopenings breachOrange breachRed "
            "breachMinCases satisfactionTarget satisfactionMinVisits } errors { code field } } }")
READ_SETTINGS = "{ alertSettings { repeatReopenings breachMinCases satisfactionTarget } }"


async def register(gql, desk, token, **over) -> str:
    return (await gql(REGISTER, {"i": case_input(desk, **over)}, token=token))["data"]["registerCase"]["case"]["id"]


async def work(gql, desk, c: str) -> None:
    """Dispatched to the technician and done, from committed or reopened."""
    agent, tech = desk["agent"][1], desk["tech"][1]
    await run(gql, agent, "dispatchCase", c, ", assigneeId: $a", a=("ID", desk["tech"][0]))
    for m in ("acceptCase", "startCase"):
        await run(gql, tech, m, c)
    await run(gql, tech, "resolveCase", c, ", result: $r", r=("String!", "已处理"))


async def reopen_twice(gql, desk, c: str) -> None:
    agent = desk["agent"][1]
    await run(gql, agent, "commitCase", c)
    for _ in range(2):
        await work(gql, desk, c)
        await run(gql, agent, "rejectCase", c, ", reason: $r", r=("String!", "还是漏水"))


async def visited(gql, desk, satisfaction: str) -> str:
    agent = desk["agent"][1]
    c = await register(gql, desk, agent)
    await run(gql, agent, "commitCase", c)
    await work(gql, desk, c)
    await run(gql, agent, "confirmCase", c)
    await run(gql, agent, "returnVisit", c, f", satisfaction: {satisfaction}, score: 3")
    return c


async def told(owner_engine, org_id, rule: str) -> list[str]:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT payload->>'colour' FROM outbox WHERE org_id = :o AND topic = 'alert.raised' "
                                        "AND payload->>'rule' = :r ORDER BY created_at"), {"o": org_id, "r": rule})).scalars().all()


async def test_a_rejection_and_a_dissatisfied_visit_are_two_reopenings_a_repeat_complainant(gql, desk, owner_engine, org, platform,
                                                                                          stub_worker):
    agent = desk["agent"][1]
    (unit, resident), = await building(owner_engine, org, 1)
    c = await register(gql, desk, agent, unitId=unit, reporterResidentId=resident, category="leakage", description="卫生间漏水")
    await run(gql, agent, "commitCase", c)
    await work(gql, desk, c)
    await run(gql, agent, "rejectCase", c, ", reason: $r", r=("String!", "还是漏水"))
    await settle(platform, stub_worker)
    assert await alerts_of(gql, agent, "repeat_complainant") == [], "one reopening is not yet a pattern"

    # The second reopening: a dissatisfied return visit sends the case back to work.
    await work(gql, desk, c)
    await run(gql, agent, "confirmCase", c)
    await run(gql, agent, "returnVisit", c, ", satisfaction: DISSATISFIED, score: 1")
    await settle(platform, stub_worker)
    repeat = await alerts_of(gql, agent, "repeat_complainant")
    assert [(a["colour"], a["title"], a["caseIds"]) for a in repeat] == [("orange", "重复投诉：住户0", [c])]
    assert repeat[0]["detail"].endswith("已重新处理2次。")

    # Three complaints from the same resident trip the other half of the rule: the same alert.
    for text_ in ("又漏水", "还在漏水", "第三次反映"):
        await register(gql, desk, agent, kind="COMPLAINT", category="leakage", unitId=unit, reporterResidentId=resident,
                       description=text_)
    await settle(platform, stub_worker)
    repeat = await alerts_of(gql, agent, "repeat_complainant")
    assert len(repeat) == 1 and len(repeat[0]["caseIds"]) == 4
    assert await told(owner_engine, org.org_id, "repeat_complainant") == ["orange"]


async def test_breach_rate_climbs_from_orange_to_red_in_one_alert(gql, desk, owner_engine, org, platform, stub_worker):
    agent, admin = desk["agent"][1], await gql.login(org)
    assert (await gql(SETTINGS, {"i": {"breachMinCases": 10}}, token=admin))["data"]["setAlertSettings"]["errors"] == []
    cases = [await register(gql, desk, agent) for _ in range(10)]
    # An immediate escalation (skip-level) is not lateness: it counts as a case, not a breach.
    cases.append(await register(gql, desk, agent, kind="COMPLAINT", channel="GOV_12345", category="noise", description="噪音"))

    async def breach(c: str) -> None:
        async with owner_engine.begin() as conn:
            await conn.execute(text("UPDATE sla_timers SET due_at = now() - interval '1 second' "
                                    "WHERE case_id = :c AND target = 'commit' AND level IN ('remind', 'l1')"),
                               {"c": from_global_id(c, "Case")})
        assert await fire_due(platform) >= 2
        await settle(platform, stub_worker)

    await breach(cases[0])
    assert await alerts_of(gql, admin, "sla_breach") == [], "1 of 11 is under 10%"
    await breach(cases[1])
    found = await alerts_of(gql, admin, "sla_breach")
    assert [(a["colour"], a["title"], a["detail"]) for a in found] == [("orange", "超时率：项目1", "7天内受理11件，2件超时（18.2%）。")]
    assert sorted(found[0]["caseIds"]) == sorted(cases[:2])
    await breach(cases[2])
    found = await alerts_of(gql, admin, "sla_breach")
    assert [(a["colour"], a["detail"], len(a["caseIds"])) for a in found] == [("red", "7天内受理11件，3件超时（27.3%）。", 3)]
    assert await told(owner_engine, org.org_id, "sla_breach") == ["orange", "red"]
    await breach(cases[3])
    assert await told(owner_engine, org.org_id, "sla_breach") == ["orange", "red"], "red stays red, told once"


async def test_satisfaction_under_target_after_enough_return_visits(gql, desk, owner_engine, org, platform, stub_worker):
    admin = await gql.login(org)
    body = await gql(SETTINGS, {"i": {"satisfactionMinVisits": 3}}, token=admin)
    assert body["data"]["setAlertSettings"]["settings"]["satisfactionMinVisits"] == 3
    await visited(gql, desk, "SATISFIED")
    bad = await visited(gql, desk, "DISSATISFIED")
    await settle(platform, stub_worker)
    assert await alerts_of(gql, admin, "satisfaction") == [], "two visits are too few to judge"
    await visited(gql, desk, "BASICALLY_SATISFIED")
    await settle(platform, stub_worker)
    found = await alerts_of(gql, admin, "satisfaction")
    assert [(a["colour"], a["ruleLabel"], a["caseIds"]) for a in found] == [("yellow", "满意度 Satisfaction", [bad])]
    assert "满意率66.7%（2/3），目标90%。" in found[0]["detail"]
    await visited(gql, desk, "SATISFIED")  # 75%: still under, the same alert
    await settle(platform, stub_worker)
    assert len(await alerts_of(gql, admin, "satisfaction")) == 1
    assert await told(owner_engine, org.org_id, "satisfaction") == ["yellow"]


async def test_a_ten_point_fall_from_last_month_is_orange(gql, desk, owner_engine, org, platform, stub_worker):
    admin = await gql.login(org)
    lenient = {"satisfactionMinVisits": 2, "satisfactionTarget": 0.5}
    assert (await gql(SETTINGS, {"i": lenient}, token=admin))["data"]["setAlertSettings"]["errors"] == []
    last_month = [await visited(gql, desk, "SATISFIED") for _ in range(2)]
    async with owner_engine.begin() as conn:  # last month's cohort: received at noon on its last day, Beijing time
        await conn.execute(text("UPDATE cases SET received_at = (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') "
                                "- interval '12 hours') AT TIME ZONE 'Asia/Shanghai' WHERE id = ANY(:c)"),
                           {"c": [from_global_id(c, "Case") for c in last_month]})
    await visited(gql, desk, "SATISFIED")
    bad = await visited(gql, desk, "DISSATISFIED")
    await settle(platform, stub_worker)
    found = await alerts_of(gql, admin, "satisfaction")
    # 50% is not under a 50% target, but it is 50 points below last month's 100%.
    assert [(a["colour"], a["caseIds"]) for a in found] == [("orange", [bad])]
    assert found[0]["detail"].endswith("满意率50%（1/2），目标50%，上月100%。")


async def test_window_settings_are_validated_with_codes(gql, org):
    admin = await gql.login(org)
    for given, field in (({"breachOrange": 0.3, "breachRed": 0.2}, "breachOrange"), ({"breachDays": 0}, "breachDays"),
                         ({"breachMinCases": -1}, "breachMinCases"), ({"satisfactionTarget": 1.5}, "satisfactionTarget"),
                         ({"satisfactionMinVisits": 0}, "satisfactionMinVisits"), ({"repeatReopenings": 99}, "repeatReopenings")):
        body = await gql(SETTINGS, {"i": given}, token=admin)
        assert body["data"]["setAlertSettings"] == {"settings": None, "errors": [{"code": "VALIDATION", "field": field}]}, given
    assert (await gql(READ_SETTINGS, token=admin))["data"]["alertSettings"] == {
        "repeatReopenings": 2, "breachMinCases": 20, "satisfactionTarget": 0.9}, "nothing refused was stored"


async def test_another_companys_events_and_settings_never_reach_ours(gql, desk, owner_engine, org, other_org, platform, stub_worker):
    ours = await gql.login(org)
    # Company B: its own desk, its own lax thresholds, a case reopened twice, a breach.
    unit, _ = await add_unit(owner_engine, other_org, "P1")
    tech = await add_user(owner_engine, other_org, "tech", "technician", "P1")
    await add_user(owner_engine, other_org, "agent", "cs_agent", "P1")
    theirs = {"unit": to_global_id("Unit", unit), "project": to_global_id("Project", other_org.projects["P1"]),
              "agent": (None, await gql.login(other_org, "agent")),
              "tech": (to_global_id("User", tech), await gql.login(other_org, "tech"))}
    their_admin = await gql.login(other_org)
    lax = {"repeatReopenings": 1, "breachMinCases": 1, "satisfactionMinVisits": 1}
    assert (await gql(SETTINGS, {"i": lax}, token=their_admin))["data"]["setAlertSettings"]["errors"] == []
    assert (await gql(READ_SETTINGS, token=ours))["data"]["alertSettings"]["repeatReopenings"] == 2, "B's settings are B's"

    await register(gql, desk, desk["agent"][1], description="再不修就找记者")  # A's own alert, which B must not touch
    mine = await register(gql, desk, desk["agent"][1])
    await run(gql, desk["agent"][1], "commitCase", mine)
    await work(gql, desk, mine)
    await run(gql, desk["agent"][1], "rejectCase", mine, ", reason: $r", r=("String!", "没修好"))  # once: under our threshold of 2
    await settle(platform, stub_worker)
    before = await alerts_of(gql, ours, state=None)
    assert [a["rule"] for a in before] == ["risk_words"]
    c = await register(gql, theirs, theirs["agent"][1])
    await reopen_twice(gql, theirs, c)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE sla_timers SET due_at = now() - interval '1 second' WHERE org_id = :o AND level = 'l1'"),
                           {"o": other_org.org_id})
    assert await fire_due(platform) >= 1
    await visited(gql, theirs, "DISSATISFIED")
    await settle(platform, stub_worker)

    outsider_alerts = await alerts_of(gql, their_admin)
    assert {a["rule"] for a in outsider_alerts} == {"repeat_complainant", "sla_breach", "satisfaction"}, "B's thresholds, B's alerts"
    assert not {a["id"] for a in outsider_alerts} & {a["id"] for a in before}
    assert await alerts_of(gql, ours, state=None) == before, "nothing of B's reached or changed A's, under A's own thresholds"
