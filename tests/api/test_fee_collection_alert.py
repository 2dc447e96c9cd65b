"""收费率下滑 through the real path (docs/resident-services.md §6.7): the fee sweep judges each closed
billing month once — under target yellow, a fall orange — and the `kpi_fees` consumer judges a
closed month again when a payment lands in it; another company sees none of it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import text

from domain.alerts.collection import judgeable
from domain.kpi.fee_rollups import rebuild_fees
from domain.sla.calendar import CHINA, add_months, beijing_midnight
from tenants.context import TenantScope
from tests.api.test_fee_api import CREATE_ITEM, data, fees  # noqa: F401 (a fixture)
from tests.api.test_fee_collection import pay
from tests.api.test_org_overview import settle
from tests.integration.fees_setup import add_flats
from workers.fee_sweep import sweep

SETTINGS = """mutation { setAlertSettings(input: {collectionMinBills: 2}) { settings { collectionMinBills collectionTarget
  collectionDrop } errors { code field } } }"""
ALERTS = "{ alerts(state: \"open\", first: 50) { rule ruleLabel colour title detail } }"
CHARGE = """mutation($i: ID!, $u: [ID!]!, $period: Date!, $due: Date!) { chargeOneOff(input: {chargeItemId: $i, unitIds: $u,
  amount: "5000", period: $period, dueOn: $due, note: "装修押金"}) { errors { code } } }"""


async def judged_at(owner_engine, org) -> dict:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT month, judged_at FROM kpi_fee_month WHERE org_id = :o"), {"o": org.org_id})
        return {r.month: r.judged_at for r in rows}


async def lenient(gql, org) -> str:
    admin = await gql.login(org)
    body = (await gql(SETTINGS, token=admin))["data"]["setAlertSettings"]
    assert body == {"settings": {"collectionMinBills": 2, "collectionTarget": 0.9, "collectionDrop": 0.05}, "errors": []}
    return admin


async def test_the_sweep_judges_each_closed_month_once(gql, fees, owner_engine, org, other_org, platform):  # noqa: F811
    admin = await lenient(gql, org)
    since, _ = judgeable(datetime.now(CHINA))
    first, second = since, add_months(since, 1)
    ids = {"o": org.org_id, "p": org.projects["P1"], "i": uuid.uuid4(), "pay": uuid.uuid4()}
    flats = await add_flats(owner_engine, org, "P1", [100.0, 80.0])
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO charge_items (org_id, project_id, id, code, name, kind, basis, starts_on) "
                                "VALUES (:o, :p, :i, 'YCX', '一次性', 'one_off', 'one_off', '2020-01-01')"), ids)
        await conn.execute(text(
            "INSERT INTO payments (org_id, project_id, id, unit_id, amount_fen, method, receipt_no, paid_at, recorded_by) "
            "VALUES (:o, :p, :pay, :u, 20000, 'cash', 'SJ-P1-X-0001', :at, 'user:x')"),
            {**ids, "u": flats[0], "at": beijing_midnight(first) + timedelta(days=3)})
        # The first month all paid by its close (100%); the second 92% — above the target, eight points down.
        for flat, period, amount, paid in ((0, first, 5000, 5000), (1, first, 5000, 5000), (0, second, 5000, 5000),
                                           (1, second, 5000, 4200)):
            bill = uuid.uuid4()
            await conn.execute(text(
                "INSERT INTO bills (org_id, project_id, id, unit_id, charge_item_id, period, period_end, due_on, amount_fen, "
                "paid_fen, source) VALUES (:o, :p, :b, :u, :i, :m, :m, :m, :a, :paid, 'one_off')"),
                {**ids, "u": flats[flat], "b": bill, "m": period, "a": amount, "paid": paid})
            await conn.execute(text("INSERT INTO payment_allocations (org_id, project_id, payment_id, bill_id, amount_fen) "
                                    "VALUES (:o, :p, :pay, :b, :paid)"), {**ids, "b": bill, "paid": paid})
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild_fees(conn, org.org_id)
    assert set((await judged_at(owner_engine, org)).values()) == {None}

    assert await sweep(platform) >= 2  # ours, and any other company's closed months left by earlier tests
    marks = await judged_at(owner_engine, org)
    assert all(marks[m] is not None for m in (first, second))
    raised = (await gql(ALERTS, token=admin))["data"]["alerts"]
    assert [(a["rule"], a["ruleLabel"], a["colour"]) for a in raised] == [("collection", "收费率下滑 Collection falling", "orange")]
    assert f"{second.year}年{second.month}月" in raised[0]["title"] and "92%" in raised[0]["detail"] and "上月100%" in raised[0]["detail"]
    assert await sweep(platform) == 0, "each month is judged once"
    assert await judged_at(owner_engine, org) == marks
    outsider = await gql.login(other_org)
    assert (await gql(ALERTS, token=outsider))["data"]["alerts"] == []


async def test_a_payment_into_a_closed_month_judges_it_again(gql, fees, owner_engine, org, other_org, platform,  # noqa: F811
                                                             stub_worker):
    admin = await lenient(gql, org)
    month = datetime.now(CHINA).date().replace(day=1)
    last = add_months(month, -1)  # closed at 02:00 on the 1st
    item = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "ZXYJ", "basis": "ONE_OFF"}, token=fees["pm"]),
                "createChargeItem")["chargeItem"]["id"]
    charged = await gql(CHARGE, {"i": item, "u": fees["flats"][:2], "period": last.isoformat(),
                                 "due": (last + timedelta(days=14)).isoformat()}, token=fees["pm"])
    assert data(charged, "chargeOneOff")["errors"] == []
    await settle(platform, stub_worker)
    assert (await gql(ALERTS, token=admin))["data"]["alerts"][0]["colour"] == "yellow", "nothing collected by the close"
    await pay(gql, fees, 0, 3000, beijing_midnight(month) - timedelta(hours=1))  # a cashier's back-dated entry
    await settle(platform, stub_worker)
    [alert] = (await gql(ALERTS, token=admin))["data"]["alerts"]
    assert (alert["rule"], alert["colour"]) == ("collection", "yellow") and "30%" in alert["detail"]
    assert (await judged_at(owner_engine, org))[last] is not None
    assert (await gql(ALERTS, token=await gql.login(other_org)))["data"]["alerts"] == []
