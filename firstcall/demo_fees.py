"""A little fee data for the demo's first project — the one the owner-app key serves: a property
fee charged by area with a rate, and last month's bills (due, so overdue) — so that the resident
of docs/owner-app.md's worked example has an account, bills and something to pay. Through the fee
services, the way staff would set it up, so the bills are what `generateBills` makes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.directory.provisioning import as_system
from domain.fees import billing, service
from domain.fees.commands import CreateChargeItem, GenerateBills, SetChargeRate
from domain.fees.kinds import ChargeBasis, ChargeKind
from domain.sla.calendar import CHINA

ACTOR = "system:demo"
RATE_1E4 = 25_000  # 2.50 元 per ㎡ a month


def last_month(today: date) -> date:
    first = today.replace(day=1)
    return first.replace(year=first.year - 1, month=12) if first.month == 1 else first.replace(month=first.month - 1)


async def add_fees(engine: AsyncEngine, org_id: UUID) -> int:
    """The first project's (by code) property fee and last month's bills; the number of bills."""
    month = last_month(datetime.now(UTC).astimezone(CHINA).date())
    async with engine.begin() as conn:
        # The services read under the company's wall, as any caller's transaction would.
        await conn.execute(text("SELECT set_config('app.org_id', :o, true), set_config('app.project_ids', '*', true)"),
                           {"o": str(org_id)})
        project_id = (await conn.execute(text("SELECT id FROM projects WHERE org_id = :o ORDER BY code LIMIT 1"),
                                         {"o": org_id})).scalar_one()
        item = await service.create_charge_item(CreateChargeItem(
            project_id=project_id, code="WYF", name="物业服务费", kind=ChargeKind.PROPERTY, basis=ChargeBasis.AREA,
            starts_on=month, due_day=15), as_system(conn, org_id, ACTOR))
        await service.set_charge_rate(SetChargeRate(charge_item_id=item, effective_from=month, rate_1e4=RATE_1E4),
                                      as_system(conn, org_id, ACTOR))
        await billing.generate_bills(GenerateBills(project_id=project_id, from_month=month, to_month=month,
                                                   charge_item_ids=(item,)), as_system(conn, org_id, ACTOR))
        count: int = (await conn.execute(text("SELECT count(*) FROM bills WHERE org_id = :o AND project_id = :p"),
                                         {"o": org_id, "p": project_id})).scalar_one()
    return count
