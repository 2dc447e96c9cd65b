"""收缴率 through the real path (API → outbox → worker → kpi_fees consumer, docs/resident-services.md
§6.7): hand-computed buckets after payments, a waiver and a reversal; the rebuild from the bills
and allocations giving the same rows; a late payment raising a past month's rate but not its
month-end figure; the overview's `collectionRate` per project and in totals; the skip rule; and
another company or project seeing none of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.kpi.fee_rollups import refresh_bucket, rebuild_fees
from domain.sla.calendar import CHINA, add_months, beijing_midnight
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input
from api.graphql.types.node import to_global_id
from tests.api.test_fee_api import CREATE_ITEM, PAY, REVERSE, billed, data, fees  # noqa: F401 (a fixture)
from tests.api.test_org_overview import fee_months, run, settle

OVERVIEW = """query($m: Date) { orgOverview(month: $m) { totals { collectionRate } previousTotals { collectionRate }
  projects { project { code } month { collectionRate } previousMonth { collectionRate } } } }"""
WAIVE_100 = """mutation($b: ID!) { waiveBill(billId: $b, amount: 100, reason: "困难户") { errors { code } } }"""
ONE_OFF = """mutation($i: ID!, $u: ID!, $period: Date!, $due: Date!) { chargeOneOff(input: {chargeItemId: $i, unitIds: [$u],
  amount: "5000", period: $period, dueOn: $due, note: "装修押金"}) { bills { id } errors { code } } }"""
COLUMNS = ("month", "due_fen", "waived_fen", "collected_fen", "collected_by_close_fen", "bills", "bills_paid", "units_billed", "units_paid")


async def buckets(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text(f"SELECT project_id, {', '.join(COLUMNS)} FROM kpi_fee_month WHERE org_id = :o"),
                                  {"o": org.org_id})
        return {(r.project_id, r.month): tuple(r)[2:] for r in rows}


async def pay(gql, fees, flat: int, amount: int, at: datetime | None = None) -> str:  # noqa: F811
    body = await gql(PAY, {"u": fees["flats"][flat], "a": amount, "at": (at or datetime.now(UTC)).isoformat()}, token=fees["pm"])
    paid = data(body, "recordPayment")
    assert paid["errors"] == [], paid
    return paid["payment"]["id"]


def rates(overview: dict) -> dict:
    return {p["project"]["code"]: (p["month"]["collectionRate"], p["previousMonth"]["collectionRate"]) for p in overview["projects"]}


async def test_buckets_by_hand_and_the_rebuild_agree(gql, fees, owner_engine, org, platform, stub_worker):  # noqa: F811
    await billed(gql, fees)  # 2025, 20000 fen a month for flat 0 (100 m²), 16000 for flat 1 (80 m²)
    await pay(gql, fees, 0, 50000)  # oldest first: January, February, half of March
    await pay(gql, fees, 1, 16000)  # January
    async with owner_engine.connect() as conn:
        february = to_global_id("Bill", (await conn.execute(text(
            "SELECT id FROM bills WHERE org_id = :o AND period = '2025-02-01' AND amount_fen = 16000"), {"o": org.org_id})).scalar())
    assert data(await gql(WAIVE_100, {"b": february}, token=fees["pm"]), "waiveBill")["errors"] == []
    undone = await pay(gql, fees, 1, 5000)  # February, then reversed
    assert data(await gql(REVERSE, {"id": undone}, token=fees["pm"]), "reversePayment")["errors"] == []
    await settle(platform, stub_worker)
    p1 = org.projects["P1"]
    kept = await buckets(owner_engine, org)
    # Paid today, long after each month closed: collected, but nothing by the close.
    assert kept[(p1, datetime(2025, 1, 1).date())] == (36000, 0, 36000, 0, 2, 2, 2, 2)
    assert kept[(p1, datetime(2025, 2, 1).date())] == (35900, 100, 20000, 0, 2, 1, 2, 1)
    assert kept[(p1, datetime(2025, 3, 1).date())] == (36000, 0, 10000, 0, 2, 0, 2, 0)
    assert kept[(p1, datetime(2025, 12, 1).date())] == (36000, 0, 0, 0, 2, 0, 2, 0)
    assert len(kept) == 12

    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM kpi_fee_month WHERE org_id = :o"), {"o": org.org_id})
    async with platform.transaction(TenantScope(org.org_id, None, "system:rollups")) as conn:
        await rebuild_fees(conn, org.org_id)
    assert await buckets(owner_engine, org) == kept

    overview = data(await gql(OVERVIEW, {"m": "2025-02-01"}, token=fees["pm"]), "orgOverview")
    assert rates(overview)["P1"] == (20000 / 35900, 1.0)
    assert (overview["totals"]["collectionRate"], overview["previousTotals"]["collectionRate"]) == (20000 / 35900, 1.0)
    before = data(await gql(OVERVIEW, {"m": "2025-01-01"}, token=fees["pm"]), "orgOverview")
    assert rates(before)["P1"] == (1.0, None)  # nothing billed in December 2024: no rate, not 0


async def test_a_late_payment_raises_a_past_months_rate_but_not_its_month_end(gql, fees, owner_engine, org, platform,  # noqa: F811
                                                                               stub_worker):
    now = datetime.now(CHINA)
    month = now.date().replace(day=1)
    last = add_months(month, -1)
    item = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "ZXYJ", "basis": "ONE_OFF"}, token=fees["pm"]),
                "createChargeItem")["chargeItem"]["id"]
    charged = data(await gql(ONE_OFF, {"i": item, "u": fees["flats"][0], "period": last.isoformat(),
                                       "due": (last + timedelta(days=14)).isoformat()}, token=fees["pm"]), "chargeOneOff")
    assert charged["errors"] == []
    await pay(gql, fees, 0, 3000, beijing_midnight(month) - timedelta(hours=1))  # in time, the month's last evening
    await settle(platform, stub_worker)
    p1 = org.projects["P1"]
    assert (await buckets(owner_engine, org))[(p1, last)] == (5000, 0, 3000, 3000, 1, 0, 1, 0)
    assert rates(data(await gql(OVERVIEW, {}, token=fees["pm"]), "orgOverview"))["P1"] == (None, 3000 / 5000)

    await pay(gql, fees, 0, 2000)  # after the close
    await settle(platform, stub_worker)
    assert (await buckets(owner_engine, org))[(p1, last)] == (5000, 0, 5000, 3000, 1, 1, 1, 1)
    assert rates(data(await gql(OVERVIEW, {}, token=fees["pm"]), "orgOverview"))["P1"] == (None, 1.0)


async def test_a_bucket_recomputed_after_the_commit_is_skipped(fees, gql, owner_engine, org, platform, stub_worker):  # noqa: F811
    await billed(gql, fees)
    await settle(platform, stub_worker)
    p1, january = org.projects["P1"], datetime(2025, 1, 1).date()
    async with owner_engine.begin() as conn:  # a payment nobody announced: only a recomputation counts it
        await conn.execute(text("UPDATE bills SET waived_fen = 100 WHERE org_id = :o AND period = :m AND amount_fen = 20000"),
                           {"o": org.org_id, "m": january})
    scope = TenantScope(org.org_id, None, "worker")
    async with platform.transaction(scope) as conn:
        # Committed before the last recomputation began: that one counted it.
        assert await refresh_bucket(conn, scope.org_id, p1, january, datetime.now(UTC) - timedelta(hours=1)) is False
    assert (await buckets(owner_engine, org))[(p1, january)][0] == 36000
    async with platform.transaction(scope) as conn:
        assert await refresh_bucket(conn, scope.org_id, p1, january, datetime.now(UTC) + timedelta(seconds=5)) is True
    assert (await buckets(owner_engine, org))[(p1, january)][0] == 35900


async def test_another_company_or_project_sees_no_fee_figures(gql, fees, owner_engine, org, other_org, platform, stub_worker):  # noqa: F811
    await billed(gql, fees)
    await pay(gql, fees, 0, 20000)
    await settle(platform, stub_worker)
    january = {"m": "2025-01-01"}
    ours = data(await gql(OVERVIEW, january, token=fees["pm"]), "orgOverview")
    assert rates(ours)["P1"] == (20000 / 36000, None)
    theirs = data(await gql(OVERVIEW, january, token=fees["stranger"]), "orgOverview")
    assert theirs["totals"]["collectionRate"] is None and all(r == (None, None) for r in rates(theirs).values())
    p2 = data(await gql(OVERVIEW, january, token=fees["pm2"]), "orgOverview")
    assert list(rates(p2)) == ["P2"] and p2["totals"]["collectionRate"] is None
    async with platform.transaction(TenantScope(other_org.org_id, None, "worker")) as conn:
        assert (await conn.execute(text("SELECT count(*) FROM kpi_fee_month"))).scalar() == 0
        await rebuild_fees(conn, other_org.org_id)  # their rebuild neither sees nor touches ours
    async with platform.transaction(TenantScope(org.org_id, [org.projects["P2"]], "user:pm2")) as conn:
        assert (await conn.execute(text("SELECT count(*) FROM kpi_fee_month"))).scalar() == 0
    assert len(await buckets(owner_engine, org)) == 12
    assert len(await buckets(owner_engine, other_org)) == 0


CARDS = "{ scorecards { project { code } score collectionRate month { collectionRate } } kpiWeights { collection } }"
NO_COLLECTION = "mutation { setKpiWeights(input: {collection: 0}) { weights { collection } errors { code } } }"


async def test_the_scorecard_weighs_the_collection_rate_of_a_month_with_bills(gql, desk, owner_engine, org, other_org, platform,
                                                                            stub_worker):
    agent, admin = desk["agent"][1], await gql.login(org)
    for _ in range(2):
        c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]["id"]
        await run(gql, agent, "commitCase", c)
    await fee_months(owner_engine, org, platform)  # P1 this month: 10000 of 30000 collected
    await settle(platform, stub_worker)
    body = await gql(CARDS, token=admin)
    cards = {c["project"]["code"]: c for c in body["data"]["scorecards"]}
    assert body["data"]["kpiWeights"] == {"collection": 10.0}
    # P1: response 1.0, resolution 0.0 and the rate 1/3 → (25 + 0 + 10/3) / 60 · 100; P2 nothing received or billed.
    assert cards["P1"]["score"] == pytest.approx((25 + 10 / 3) / 60 * 100)
    assert cards["P1"]["collectionRate"] == cards["P1"]["month"]["collectionRate"] == 10000 / 30000
    assert (cards["P2"]["score"], cards["P2"]["collectionRate"]) == (None, None)
    assert (await gql(NO_COLLECTION, token=admin))["data"]["setKpiWeights"] == {"weights": {"collection": 0.0}, "errors": []}
    again = {c["project"]["code"]: c for c in (await gql(CARDS, token=admin))["data"]["scorecards"]}
    assert again["P1"]["score"] == pytest.approx(50.0)  # as before fees: response 1.0, resolution 0.0
    theirs = (await gql(CARDS, token=await gql.login(other_org)))["data"]
    assert [(c["score"], c["collectionRate"]) for c in theirs["scorecards"]] == [(None, None), (None, None)]
    assert theirs["kpiWeights"] == {"collection": 10.0}
