"""The HQ drill-down and trends: a month by category, kind and building, day and month series,
month-over-month in the overview, alerts by colour, and the stored evaluation (score, standard
score, rank, trend) agreeing with the scorecards — hand-counted, through the real path, and
walled between companies."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.kpi.rollups import rebuild
from domain.sla.calendar import CHINA, add_months
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input, statements_of
from tests.api.test_org_overview import run, settle
from workers.score_sweep import EVERYTHING, months_to_score, sweep

BREAKDOWN = """query($by: KpiDimension!, $p: ID, $m: Date) { kpiBreakdown(by: $by, projectId: $p, month: $m) {
  key label kpis { received resolutionRate complaintsPer1000 } } }"""
SERIES = """query($f: Date!, $t: Date!, $g: KpiGrain, $p: ID) { kpiSeries(from: $f, to: $t, grain: $g, projectId: $p) {
  period kpis { received } } }"""
HEALTH = """{ orgOverview { alerts { red orange yellow blue } previousTotals { received } scoredAt
  projects { project { code } alerts { red orange } previousMonth { received } month { received } score standardScore rank trend } } }"""
CARDS = "{ scorecards { project { code } score standardScore rank trend } }"


async def _cases(gql, desk) -> list[str]:
    agent = desk["agent"][1]
    made = []
    for over in ({"category": "water_power", "kind": "REPAIR"}, {"category": "water_power", "kind": "REPAIR"},
                 {"category": "noise", "kind": "COMPLAINT", "unitId": None, "publicArea": "地下车库"}):
        body = await gql(REGISTER, {"i": case_input(desk, **over)}, token=agent)
        assert body["data"]["registerCase"]["errors"] == [], body
        made.append(body["data"]["registerCase"]["case"]["id"])
    return made


async def test_a_month_by_category_kind_and_building(gql, desk, owner_engine, org, platform, stub_worker):
    ids = await _cases(gql, desk)
    async with owner_engine.connect() as conn:
        building = (await conn.execute(text("SELECT building_id FROM cases WHERE org_id = :o AND building_id IS NOT NULL LIMIT 1"),
                                       {"o": org.org_id})).scalar()
    await run(gql, desk["agent"][1], "commitCase", ids[0])
    await run(gql, desk["agent"][1], "dispatchCase", ids[0], ", assigneeId: $a", a=("ID", desk["tech"][0]))
    for m in ("acceptCase", "startCase"):
        await run(gql, desk["tech"][1], m, ids[0])
    await run(gql, desk["tech"][1], "resolveCase", ids[0], ", result: $r", r=("String!", "已修复"))
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE projects SET households = 200 WHERE id = :p"), {"p": org.projects["P1"]})
    await settle(platform, stub_worker)
    admin = await gql.login(org)

    by_category = (await gql(BREAKDOWN, {"by": "CATEGORY"}, token=admin))["data"]["kpiBreakdown"]
    assert [(s["label"], s["kpis"]["received"], s["kpis"]["resolutionRate"]) for s in by_category] == [
        ("水电", 2, 0.5), ("噪音", 1, 0.0)]
    # Complaints per 1,000 households over the visible projects' households (200 + 0).
    assert [s["kpis"]["complaintsPer1000"] for s in by_category] == [0.0, 5.0]
    assert [s["key"] for s in by_category] == ["water_power", "noise"], "the codes the cases filter takes"

    by_kind = (await gql(BREAKDOWN, {"by": "KIND"}, token=admin))["data"]["kpiBreakdown"]
    assert [(s["key"], s["label"], s["kpis"]["received"]) for s in by_kind] == [("REPAIR", "报修 Repair", 2),
                                                                                 ("COMPLAINT", "投诉 Complaint", 1)]

    by_building = (await gql(BREAKDOWN, {"by": "BUILDING", "p": desk["project"]}, token=admin))["data"]["kpiBreakdown"]
    # The desk's building has one flat: its households are its flats.
    assert [(s["kpis"]["received"], s["kpis"]["complaintsPer1000"]) for s in by_building] == [(2, 0.0), (1, None)]
    assert by_building[0]["label"].startswith("楼-") and by_building[0]["key"] == to_global_id("Building", building)
    assert by_building[1] == {
        "key": "", "label": "公共区域及未指定 Public areas and unspecified",
        "kpis": {"received": 1, "resolutionRate": 0.0, "complaintsPer1000": None}}
    p2 = to_global_id("Project", org.projects["P2"])
    assert (await gql(BREAKDOWN, {"by": "CATEGORY", "p": p2}, token=admin))["data"]["kpiBreakdown"] == []

    refused = await gql(BREAKDOWN, {"by": "BUILDING"}, token=admin)
    assert refused["errors"][0]["extensions"]["code"] == "VALIDATION" and "projectId" in refused["errors"][0]["message"]


async def test_series_by_day_and_by_month(gql, desk, org, platform, stub_worker):
    await _cases(gql, desk)
    await settle(platform, stub_worker)
    admin = await gql.login(org)
    today = datetime.now(CHINA).date()
    days = (await gql(SERIES, {"f": (today - timedelta(days=2)).isoformat(), "t": today.isoformat()}, token=admin))["data"]["kpiSeries"]
    assert [(d["period"], d["kpis"]["received"]) for d in days] == [
        ((today - timedelta(days=2)).isoformat(), 0), ((today - timedelta(days=1)).isoformat(), 0), (today.isoformat(), 3)]
    months = (await gql(SERIES, {"f": "2026-01-15", "t": today.isoformat(), "g": "MONTH", "p": desk["project"]},
                        token=admin))["data"]["kpiSeries"]
    assert months[0]["period"] == "2026-01-01" and months[-1] == {"period": today.replace(day=1).isoformat(), "kpis": {"received": 3}}
    assert sum(m["kpis"]["received"] for m in months) == 3

    for variables, field in (({"f": today.isoformat(), "t": (today - timedelta(days=1)).isoformat()}, "to"),
                             ({"f": "2026-01-01", "t": "2026-06-01"}, "to"),
                             ({"f": "2020-01-01", "t": "2026-01-01", "g": "MONTH"}, "to")):
        body = await gql(SERIES, variables, token=admin)
        error = body["errors"][0]["extensions"]
        assert body["data"] is None and (error["code"], error.get("field")) == ("VALIDATION", field), (variables, body)


async def test_month_over_month_alerts_and_the_stored_evaluation(gql, desk, owner_engine, org, platform, stub_worker):
    await _cases(gql, desk)
    await settle(platform, stub_worker)
    # One of them came in last month: move its cohort and rebuild, as a late import would.
    async with owner_engine.begin() as conn:
        await conn.execute(text(
            "UPDATE cases SET received_at = (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '15 days') "
            "AT TIME ZONE 'Asia/Shanghai' WHERE id = (SELECT id FROM cases WHERE org_id = :o ORDER BY received_at LIMIT 1)"),
            {"o": org.org_id})
        await conn.execute(text(
            "INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids, state) VALUES "
            "(:o, :p, 'risk_words', 'case:a', 'orange', '风险词', '媒体', '{}', 'open'), "
            "(:o, :p, 'skip_level', 'case:b', 'red', '越级', '12345', '{}', 'acknowledged'), "
            "(:o, :p, 'skip_level', 'case:c', 'red', '越级', '12345', '{}', 'resolved')"), {"o": org.org_id, "p": org.projects["P1"]})
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    admin = await gql.login(org)
    before = (await gql(HEALTH, token=admin))["data"]["orgOverview"]
    assert before["scoredAt"] is None and all(p["rank"] is None for p in before["projects"]), "nothing evaluated yet"

    assert await sweep(platform) >= 1
    view = (await gql(HEALTH, token=admin))["data"]["orgOverview"]
    assert view["alerts"] == {"red": 1, "orange": 1, "yellow": 0, "blue": 0}, "resolved alerts are not counted"
    assert view["previousTotals"] == {"received": 1} and view["scoredAt"] is not None
    p1 = next(p for p in view["projects"] if p["project"]["code"] == "P1")
    assert (p1["month"], p1["previousMonth"], p1["alerts"]) == ({"received": 2}, {"received": 1}, {"red": 1, "orange": 1})
    cards = {c["project"]["code"]: c for c in (await gql(CARDS, token=admin))["data"]["scorecards"]}
    for p in view["projects"]:
        card = cards[p["project"]["code"]]
        assert (p["score"], p["standardScore"], p["rank"], p["trend"]) == (
            card["score"], card["standardScore"], card["rank"], card["trend"]), "the stored evaluation is the scorecards'"
    assert p1["rank"] == 1 and p1["score"] is not None
    # Project staff see their own score, not how it compares with projects they cannot see.
    staff = (await gql(HEALTH, token=desk["agent"][1]))["data"]["orgOverview"]["projects"]
    assert [(p["project"]["code"], p["score"], p["standardScore"], p["rank"], p["trend"]) for p in staff] == [
        ("P1", p1["score"], None, None, None)]

    # A new case changes the month; the next sweep follows.
    await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
    await settle(platform, stub_worker)
    await sweep(platform)
    assert next(p for p in (await gql(HEALTH, token=admin))["data"]["orgOverview"]["projects"]
                if p["project"]["code"] == "P1")["month"] == {"received": 3}


async def stale(platform) -> set:
    async with platform.transaction(None) as conn:
        return {r.org_id for r in await conn.execute(text("SELECT orgs_with_evaluation_changes('2000-01-01') AS org_id"))}


async def test_new_weights_are_evaluated_without_any_case_changing(gql, desk, owner_engine, org, platform, stub_worker):
    ids = await _cases(gql, desk)
    await run(gql, desk["agent"][1], "commitCase", ids[0])
    await settle(platform, stub_worker)
    await sweep(platform)
    # Everything happened long ago: only the new weights can make the month stale now.
    async with owner_engine.begin() as conn:
        for table, column, ago in (("kpi_project_month", "updated_at", 2), ("kpi_weights", "updated_at", 2),
                                   ("kpi_project_score", "computed_at", 1)):
            await conn.execute(text(f"UPDATE {table} SET {column} = {column} - interval '{ago} hours' WHERE org_id = :o"),
                               {"o": org.org_id})
    assert org.org_id not in await stale(platform)
    admin = await gql.login(org)
    p1 = lambda view: next(p for p in view["projects"] if p["project"]["code"] == "P1")  # noqa: E731
    before = p1((await gql(HEALTH, token=admin))["data"]["orgOverview"])["score"]
    weights = "mutation($i: KpiWeightsInput!) { setKpiWeights(input: $i) { errors { code } } }"
    body = await gql(weights, {"i": {"response": 10, "resolution": 90, "satisfaction": 0, "firstContact": 0, "onTime": 0,
                                     "perComplaintPer1000": 0, "perBrokenPromise": 0, "inspection": 0}}, token=admin)
    assert body["data"]["setKpiWeights"]["errors"] == [], body
    assert org.org_id in await stale(platform)
    await sweep(platform)
    after = p1((await gql(HEALTH, token=admin))["data"]["orgOverview"])["score"]
    card = next(c for c in (await gql(CARDS, token=admin))["data"]["scorecards"] if c["project"]["code"] == "P1")
    assert after != before and after == card["score"], (before, after, card)


async def test_the_first_sweep_evaluates_months_never_evaluated(gql, desk, owner_engine, org, platform, stub_worker):
    await _cases(gql, desk)
    await settle(platform, stub_worker)
    async with owner_engine.begin() as conn:  # a case from five months ago, as an import would bring
        await conn.execute(text(
            "UPDATE cases SET received_at = (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '5 months' "
            "+ interval '3 days') AT TIME ZONE 'Asia/Shanghai' WHERE id = (SELECT id FROM cases WHERE org_id = :o LIMIT 1)"),
            {"o": org.org_id})
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    old = add_months(datetime.now(CHINA).date(), -5).isoformat()
    admin = await gql.login(org)
    query = "query($m: Date) { orgOverview(month: $m) { projects { project { code } month { received } rank } } }"

    def p1(body):
        return next(p for p in body["data"]["orgOverview"]["projects"] if p["project"]["code"] == "P1")

    await sweep(platform)  # the last three months only
    assert p1(await gql(query, {"m": old}, token=admin)) == {"project": {"code": "P1"}, "month": {"received": 1}, "rank": None}
    await sweep(platform, since=EVERYTHING)
    assert p1(await gql(query, {"m": old}, token=admin))["rank"] == 1


def test_rescoring_a_month_rescores_the_next_but_not_the_future():
    from datetime import date

    assert months_to_score({date(2026, 10, 1)}, date(2026, 12, 1)) == [date(2026, 10, 1), date(2026, 11, 1)]
    assert months_to_score({date(2026, 11, 1), date(2026, 12, 1)}, date(2026, 12, 1)) == [date(2026, 11, 1), date(2026, 12, 1)]
    assert months_to_score({date(2025, 12, 1)}, date(2026, 1, 1)) == [date(2025, 12, 1), date(2026, 1, 1)]


async def test_the_wall_between_companies(gql, desk, org, other_org, platform, stub_worker):
    await _cases(gql, desk)
    await settle(platform, stub_worker)
    await sweep(platform)
    outsider = await gql.login(other_org)
    ours = desk["project"]
    for query, variables in ((BREAKDOWN, {"by": "CATEGORY", "p": ours}), (BREAKDOWN, {"by": "BUILDING", "p": ours}),
                             (SERIES, {"f": "2026-11-01", "t": "2026-11-30", "p": ours})):
        body = await gql(query, variables, token=outsider)
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body
    assert (await gql(BREAKDOWN, {"by": "CATEGORY"}, token=outsider))["data"]["kpiBreakdown"] == []
    assert (await gql(BREAKDOWN, {"by": "KIND"}, token=outsider))["data"]["kpiBreakdown"] == []
    today = datetime.now(CHINA).date().isoformat()
    assert (await gql(SERIES, {"f": today, "t": today}, token=outsider))["data"]["kpiSeries"] == [
        {"period": today, "kpis": {"received": 0}}]
    theirs = (await gql(HEALTH, token=outsider))["data"]["orgOverview"]
    assert theirs["alerts"] == {"red": 0, "orange": 0, "yellow": 0, "blue": 0}
    assert all(p["month"] == {"received": 0} and p["score"] is None for p in theirs["projects"])


async def test_a_projects_drill_down_checks_the_project_once(platform, org):
    """In reach through the request's project loader, then only the households and the figures:
    the whole company and one project cost the same."""
    p1 = to_global_id("Project", org.projects["P1"])
    for field in ("kpiBreakdown(by: KIND{p}) {{ key }}", 'kpiSeries(from: "2026-01-01", to: "2026-01-31"{p}) {{ period }}'):
        company = await statements_of(platform, org, "{ " + field.format(p="") + " }")
        one = await statements_of(platform, org, "{ " + field.format(p=f', projectId: "{p1}"') + " }")
        assert one == company + 1, (field, company, one)  # + the project's own load, shared with any field showing it
