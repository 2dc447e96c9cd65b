"""The demo's fee data (firstcall/demo_fees.py): the first project's property fee and last month's
bills, made by the fee services, in the demo's own company only."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from domain.sla.calendar import CHINA
from firstcall.demo_fees import add_fees, last_month
from tests.integration.fees_setup import add_flats


async def test_the_demo_bills_last_month_by_area_in_the_first_project_only(owner_engine, org, other_org):
    flats = await add_flats(owner_engine, org, "P1", [100.0, 80.5])
    await add_flats(owner_engine, org, "P2", [90.0])
    await add_flats(owner_engine, other_org, "P1", [70.0])
    assert await add_fees(owner_engine, org.org_id) == 2
    month = last_month(datetime.now(UTC).astimezone(CHINA).date())
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT b.org_id, b.unit_id, b.period, b.due_on, b.amount_fen, b.state, i.name FROM bills b "
            "JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id ORDER BY b.amount_fen DESC"))).all()
    ours = [r for r in rows if r.org_id == org.org_id]
    assert [(r.unit_id, r.amount_fen) for r in ours] == [(flats[0], 25_000), (flats[1], 20_125)]
    assert all(r.period == month and r.due_on == month.replace(day=15) and r.state == "open" and r.name == "物业服务费"
               for r in ours)
    assert not [r for r in rows if r.org_id == other_org.org_id]


def test_last_month_crosses_the_year():
    assert last_month(datetime(2027, 1, 20).date()) == datetime(2026, 12, 1).date()
    assert last_month(datetime(2026, 12, 7).date()) == datetime(2026, 11, 1).date()
