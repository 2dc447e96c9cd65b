"""话务 figures beyond callFigures (docs/centre-day.md §8): the month rollup kept by the call's own
transaction equals a rebuild from the call records, and the counts reach orgOverview, the
scorecards (weight 0 until a company weighs them) and the monthly summary — each company and
each project seeing only its own calls."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.kpi.call_rollups import rebuild_calls
from domain.sla.calendar import CHINA
from tenants.context import TenantScope
from tests.api.test_calls_api import call, desk, integration_of  # noqa: F401  (desk is a fixture)
from tests.api.test_fee_api import data
from tests.api.test_monthly_summary import BOOK, PAGE, auth, read_xlsx
from tests.api.test_payment_inbound import post

FIGURES = "calls callsAnswered callsWithinThreeRings answerRate threeRingRate"
OVERVIEW = f"""{{ orgOverview {{ totals {{ {FIGURES} }} previousTotals {{ {FIGURES} }}
  projects {{ project {{ code }} month {{ {FIGURES} }} previousMonth {{ calls answerRate }} }} }} }}"""
CARDS = "{ scorecards { project { code } score answerRate month { calls answerRate threeRingRate } } }"
WEIGHTS = "mutation($i: KpiWeightsInput!) { setKpiWeights(input: $i) { weights { calls response } errors { code field } } }"


def days() -> tuple[str, str]:
    """The first day of this Beijing month and of the month before."""
    first = datetime.now(CHINA).date().replace(day=1)
    return first.isoformat(), (first - timedelta(days=1)).replace(day=1).isoformat()


async def months(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT project_id, month, offered, answered, answered_3_rings, abandoned FROM kpi_call_month "
                                       "WHERE org_id = :o"), {"o": org.org_id})
        return {(r.project_id, r.month.isoformat()): tuple(r)[2:] for r in rows}


async def told(gql, client, desk) -> None:  # noqa: F811
    """P1 this month through a 5 s and a 3 s integration: 6 offered, 5 answered, 3 within three
    rings, 1 abandoned, one outbound (not offered); last month 2 offered, 1 answered in time."""
    this, last = days()
    five, three = await integration_of(gql, desk), await integration_of(gql, desk, ring=3)
    sent = [(five, call("a", day=this, queued="00:00:01", answered="00:00:11", ended="00:01:00")),  # 10 s: within three rings
            (five, call("b", day=this, queued="00:00:01", answered="00:00:16", ended="00:01:00")),  # 15 s: exactly three
            (five, call("c", day=this, queued="00:00:01", answered="00:00:21", ended="00:01:00")),  # four rings
            (five, call("d", day=this, queued="00:00:01", answered=None, ended="00:01:00")),  # abandoned
            (five, call("e", day=this, queued="00:00:01", answered="00:00:02", ended="00:01:00", direction="out")),
            (three, call("f", day=this, queued="00:00:01", answered="00:00:11", ended="00:01:00")),  # 10 s > 3 × 3 s
            (three, call("g", day=this, queued="00:00:01", answered="00:00:05", ended="00:01:00")),
            (five, call("h", day=last, queued="12:00:00", answered="12:00:05", ended="12:01:00")),
            (five, call("i", day=last, queued="12:00:00", answered=None, ended="12:01:00"))]
    # All at once: each call's transaction recounts its month under the month's lock, so none is lost.
    answers = await asyncio.gather(*(post(client, i, c) for i, c in sent))
    assert [r.status_code for r in answers] == [200] * len(sent), [r.text for r in answers]
    assert (await post(client, five, call("a", day=this, queued="00:00:01", answered="00:00:11", ended="00:01:00"))).json()["duplicate"]


async def test_the_month_kept_by_each_call_equals_a_rebuild(gql, client, desk, owner_engine, org, platform):  # noqa: F811
    await told(gql, client, desk)
    this, last = days()
    p1 = org.projects["P1"]
    kept = await months(owner_engine, org)
    assert kept == {(p1, this): (6, 5, 3, 1), (p1, last): (2, 1, 1, 1)}
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM kpi_call_month WHERE org_id = :o"), {"o": org.org_id})
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild_calls(conn, org.org_id)
    assert await months(owner_engine, org) == kept


async def test_the_overview_scorecards_and_summary_show_the_calls(gql, client, desk, owner_engine, org, other_org):  # noqa: F811
    await told(gql, client, desk)
    admin = await gql.login(org)
    overview = data(await gql(OVERVIEW, token=admin), "orgOverview")
    figures = {"calls": 6, "callsAnswered": 5, "callsWithinThreeRings": 3, "answerRate": 5 / 6, "threeRingRate": 3 / 5}
    assert overview["totals"] == figures
    assert overview["previousTotals"] == {"calls": 2, "callsAnswered": 1, "callsWithinThreeRings": 1, "answerRate": 0.5,
                                          "threeRingRate": 1.0}
    assert [(p["project"]["code"], p["month"], p["previousMonth"]) for p in overview["projects"]] == [
        ("P1", figures, {"calls": 2, "answerRate": 0.5}),
        ("P2", {"calls": 0, "callsAnswered": 0, "callsWithinThreeRings": 0, "answerRate": None, "threeRingRate": None},
         {"calls": 0, "answerRate": None})]
    # Another company and another project's manager see none of them.
    for token, codes in ((await gql.login(other_org), ["P1", "P2"]), (desk["pm2"], ["P2"])):
        theirs = data(await gql(OVERVIEW, token=token), "orgOverview")
        assert [p["project"]["code"] for p in theirs["projects"]] == codes
        assert theirs["totals"]["calls"] == 0 and theirs["previousTotals"]["calls"] == 0 and theirs["totals"]["answerRate"] is None

    # Scorecards: the answer rate shown, weighing nothing by default (P1 has no cases: no score).
    assert data(await gql("{ kpiWeights { calls } }", token=admin), "kpiWeights") == {"calls": 0.0}
    cards = data(await gql(CARDS, token=admin), "scorecards")
    assert [(c["project"]["code"], c["score"], c["answerRate"], c["month"]["calls"]) for c in cards] == [
        ("P1", None, 5 / 6, 6), ("P2", None, None, 0)]
    bad = data(await gql(WEIGHTS, {"i": {"calls": -1}}, token=admin), "setKpiWeights")
    assert bad["errors"] == [{"code": "VALIDATION", "field": "weights"}]
    assert data(await gql(WEIGHTS, {"i": {"calls": 20}}, token=admin), "setKpiWeights") == {
        "weights": {"calls": 20.0, "response": 25.0}, "errors": []}
    assert (await gql(WEIGHTS, {"i": {"calls": 20}}, token=desk["pm"]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert data(await gql("{ kpiWeights { calls } }", token=await gql.login(other_org)), "kpiWeights") == {"calls": 0.0}
    assert [c["month"]["calls"] for c in data(await gql(CARDS, token=await gql.login(other_org)), "scorecards")] == [0, 0]

    # The monthly summary of this month: P1's page, P2's page (its manager), the company's workbook.
    month = datetime.now(CHINA).strftime("%Y-%m")
    p1, p2 = desk["p1"], to_global_id("Project", org.projects["P2"])

    def rows(page: str) -> dict:
        return {m[0]: m[1:] for m in re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page)}

    page = rows((await client.get(PAGE, params={"month": month, "project": p1}, headers=auth(admin))).text)
    assert page["来电量 Calls offered"] == ("6", "2", "↑4")
    assert page["接通率 Answer rate"] == ("83.3%", "50.0%", "↑33.3个百分点")
    assert page["三声接听率 Answered within three rings"] == ("60.0%", "100.0%", "↓40.0个百分点")
    theirs = await client.get(PAGE, params={"month": month, "project": p2}, headers=auth(desk["pm2"]))
    assert theirs.status_code == 200 and rows(theirs.text)["来电量 Calls offered"] == ("0", "0", "持平 Same")
    assert (await client.get(PAGE, params={"month": month, "project": p1}, headers=auth(desk["pm2"]))).status_code == 404
    outsider = rows((await client.get(PAGE, params={"month": month}, headers=auth(await gql.login(other_org)))).text)
    assert outsider["来电量 Calls offered"] == ("0", "0", "持平 Same")
    book = read_xlsx((await client.get(BOOK, params={"month": month}, headers=auth(admin))).content)
    summary = book["概览 Summary"]
    row = next(k[1:] for k, v in summary.items() if v == "接通率 Answer rate")
    assert (summary[f"B{row}"], summary[f"C{row}"]) == (5 / 6, 0.5)
    ranking = book["项目排名 Ranking"]
    [p1_row] = [k[1:] for k, v in ranking.items() if v == "P1" and k.startswith("B")]
    assert (ranking["N1"], ranking[f"N{p1_row}"], ranking[f"O{p1_row}"], ranking[f"P{p1_row}"]) == (
        "来电量 Calls", 6.0, 5 / 6, 0.6)


async def test_a_calls_case_is_shown_within_its_project_only(gql, client, desk):  # noqa: F811
    this, _ = days()
    integration = await integration_of(gql, desk)
    sent = call("linked", day=this, queued="00:00:01", answered="00:00:04", ended="00:01:00", case_id=desk["cases"]["p1"])
    assert (await post(client, integration, sent)).status_code == 200
    listed = "query($p: ID!, $f: Date!) { callRecords(projectId: $p, from: $f) { caseId case { id number } } }"
    [row] = data(await gql(listed, {"p": desk["p1"], "f": this}, token=desk["agent"]), "callRecords")
    assert row["case"]["id"] == row["caseId"] == desk["cases"]["p1"] and row["case"]["number"].startswith("GD-")
    for caller in ("pm2", "stranger"):  # another project's manager, another company: the calls are not theirs to list
        refused = await gql(listed, {"p": desk["p1"], "f": this}, token=desk[caller])
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND", caller
