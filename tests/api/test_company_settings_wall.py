"""Company-wide settings — the escalation ladder, calendar days and gaps, evaluation weights, alert
thresholds — belong to one company: another company's administrator neither sees ours nor
changes them by changing theirs."""

from __future__ import annotations

from sqlalchemy import text

LADDER = "mutation($i: EscalationLadderInput!) { setEscalationLadder(input: $i) { errors { code } } }"
DAY = "mutation($d: Date!) { setCalendarDay(day: $d, working: false, name: \"停工日\") { errors { code } } }"
WEIGHTS = "mutation($i: KpiWeightsInput!) { setKpiWeights(input: $i) { errors { code } } }"
ALERTS = "mutation($i: AlertSettingsInput!) { setAlertSettings(input: $i) { errors { code } } }"
READ = ("{ escalationLadder { remindPercent l3Percent } calendarDays(year: 2027) { day } calendarGaps "
        "kpiWeights { response } alertSettings { riskWords clusterOrange } }")


async def test_each_company_keeps_its_own_settings(gql, org, other_org, owner_engine):
    ours, theirs = await gql.login(org), await gql.login(other_org)
    for token, value in ((ours, 50), (theirs, 70)):
        assert (await gql(LADDER, {"i": {"remindPercent": value}}, token=token))["data"]["setEscalationLadder"]["errors"] == []
        assert (await gql(WEIGHTS, {"i": {"response": value}}, token=token))["data"]["setKpiWeights"]["errors"] == []
    assert (await gql(DAY, {"d": "2027-01-04"}, token=theirs))["data"]["setCalendarDay"]["errors"] == []
    assert (await gql(ALERTS, {"i": {"riskWords": ["他们的词"], "clusterOrange": 3}}, token=theirs))["data"]["setAlertSettings"][
        "errors"] == []
    async with owner_engine.begin() as conn:  # a year our deadlines could not count: asked of us only
        await conn.execute(text("INSERT INTO calendar_gaps (org_id, year) VALUES (:o, 2028)"), {"o": org.org_id})

    mine = (await gql(READ, token=ours))["data"]
    assert mine["escalationLadder"] == {"remindPercent": 50, "l3Percent": 200}
    assert mine["calendarDays"] == [] and mine["calendarGaps"] == [2028]
    assert mine["kpiWeights"] == {"response": 50.0}
    assert "他们的词" not in mine["alertSettings"]["riskWords"] and mine["alertSettings"]["clusterOrange"] == 5
    other = (await gql(READ, token=theirs))["data"]
    assert other["escalationLadder"]["remindPercent"] == 70 and other["calendarDays"] == [{"day": "2027-01-04"}]
    assert other["calendarGaps"] == [] and other["kpiWeights"] == {"response": 70.0}
    assert other["alertSettings"] == {"riskWords": ["他们的词"], "clusterOrange": 3}
