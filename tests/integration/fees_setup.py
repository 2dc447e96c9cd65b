"""Shared set-up of the fee tests: flats straight into the archive, a unit of work for a role,
and a charge item with a rate through the service."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text

from domain.fees import service
from domain.fees.commands import CreateChargeItem, SetChargeRate
from domain.fees.kinds import ChargeBasis, ChargeKind
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role


def uow_of(platform, org, role: Role = Role.ORG_ADMIN, project: str | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(role, org.projects[project] if project else None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def add_flats(owner_engine, org, project: str, areas: list[float | None], *, vacant: tuple[int, ...] = (),
                    use: str = "residential") -> list[uuid.UUID]:
    """One building with a flat per area (None: area unknown); `vacant` names positions said empty."""
    building = uuid.uuid4()
    ids = [uuid.uuid4() for _ in areas]
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, :n)"),
                           {"o": org.org_id, "p": org.projects[project], "b": building, "n": f"楼-{building.hex[:6]}"})
        for n, (unit, area) in enumerate(zip(ids, areas, strict=True)):
            await conn.execute(text("INSERT INTO units (org_id, project_id, id, building_id, number, floor, area_m2, use, vacant) "
                                    "VALUES (:o, :p, :u, :b, :n, 1, :a, :use, :v)"),
                               {"o": org.org_id, "p": org.projects[project], "u": unit, "b": building, "n": str(101 + n),
                                "a": area, "use": use, "v": n in vacant})
    return ids


async def add_item(platform, org, project: str = "P1", *, code: str = "WYF", basis: ChargeBasis = ChargeBasis.AREA,
                   rate_1e4: int | None = 23500, starts_on: date = date(2026, 1, 1), vacant_percent: int = 100,
                   kind: ChargeKind = ChargeKind.PROPERTY, due_day: int = 15) -> uuid.UUID:
    item = await service.create_charge_item(CreateChargeItem(
        project_id=org.projects[project], code=code, name=f"{code} 费", kind=kind, basis=basis, starts_on=starts_on,
        vacant_percent=vacant_percent, due_day=due_day), uow_of(platform, org))
    if rate_1e4 is not None:
        await service.set_charge_rate(SetChargeRate(charge_item_id=item, effective_from=date(2026, 1, 1), rate_1e4=rate_1e4),
                                      uow_of(platform, org))
    return item
