"""Setting up what is charged (docs/resident-services.md §6.1, §6.2): charge items, their rates
and per-flat overrides, and one-off charges. One function per use case, each in the caller's unit
of work — claim the key, load locked (another company's or project's record is not found),
`fee:manage` on its project, the rule, save, commit (the unit of work writes audit and event)."""

from __future__ import annotations

from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.events import Event
from domain.fees.commands import ChargeOneOff, CreateChargeItem, SetChargeOverride, SetChargeRate, UpdateChargeItem
from domain.fees.kinds import ChargeBasis
from domain.fees.model import ChargeItem, first_of_month, positive_fen, text_field
from domain.fees.repository import FeeRepository
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


async def _item(repo: FeeRepository, uow: UnitOfWork, item_id: UUID, field: str = "chargeItemId") -> ChargeItem:
    item = await repo.item(item_id)
    if item is None:
        raise not_found("The charge item", field, zh="收费项目")
    uow.require(Permission.FEE_MANAGE, item.project_id, field)
    return item


async def _code_free(repo: FeeRepository, item: ChargeItem) -> None:
    if (other := await repo.item_coded(item)) is not None:
        raise DomainError(ErrorCode.CONFLICT, f"本项目已有编码为 {item.code} 的收费项目。A charge item coded {item.code} "
                          "exists in this project.", "code", reason=ErrorReason.CHARGE_ITEM_EXISTS,
                          existing=("ChargeItem", other))


async def create_charge_item(cmd: CreateChargeItem, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.FEE_MANAGE, cmd.project_id)
        request = {"projectId": str(cmd.project_id), "code": cmd.code, "name": cmd.name, "kind": cmd.kind.value,
                   "basis": cmd.basis.value, "startsOn": cmd.starts_on.isoformat(), "unitUses": list(cmd.unit_uses),
                   "spaceTenures": list(cmd.space_tenures), "buildingIds": [str(b) for b in cmd.building_ids or ()] or None,
                   "vacantPercent": cmd.vacant_percent, "dueDay": cmd.due_day,
                   "endsOn": cmd.ends_on.isoformat() if cmd.ends_on else None}
        if (done := await uow.claim(cmd.idempotency_key, "createChargeItem", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        if await repo.project_code(cmd.project_id) is None:
            raise not_found("The project", "projectId", zh="项目")
        if cmd.building_ids and not await repo.buildings_in_project(cmd.project_id, list(cmd.building_ids)):
            raise not_found("A building", "buildingIds", zh="楼栋")
        item = ChargeItem.create(org_id=uow.org_id, project_id=cmd.project_id, by=uow.actor, code=cmd.code, name=cmd.name,
                                 kind=cmd.kind, basis=cmd.basis, unit_uses=list(cmd.unit_uses),
                                 space_tenures=list(cmd.space_tenures),
                                 building_ids=list(cmd.building_ids) if cmd.building_ids else None,
                                 vacant_percent=cmd.vacant_percent, due_day=cmd.due_day, starts_on=cmd.starts_on,
                                 ends_on=cmd.ends_on)
        await _code_free(repo, item)
        await repo.add_item(item)
        await uow.commit({"id": str(item.id)})
    return item.id


async def update_charge_item(cmd: UpdateChargeItem, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"chargeItemId": str(cmd.charge_item_id), "name": cmd.name, "vacantPercent": cmd.vacant_percent,
                   "dueDay": cmd.due_day, "endsOn": cmd.ends_on.isoformat() if cmd.ends_on else None, "active": cmd.active}
        if (done := await uow.claim(cmd.idempotency_key, "updateChargeItem", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        item = await _item(repo, uow, cmd.charge_item_id)
        if item.update(by=uow.actor, name=cmd.name, vacant_percent=cmd.vacant_percent, due_day=cmd.due_day,
                       ends_on=cmd.ends_on, active=cmd.active):
            await repo.save_item(item)
        await uow.commit({"id": str(item.id)})
    return item.id


async def set_charge_rate(cmd: SetChargeRate, uow: UnitOfWork) -> UUID:
    """A rate from a month on; bills already issued keep theirs (a correction is a waiver)."""
    async with uow:
        request = {"chargeItemId": str(cmd.charge_item_id), "effectiveFrom": cmd.effective_from.isoformat(),
                   "rate1e4": cmd.rate_1e4}
        if (done := await uow.claim(cmd.idempotency_key, "setChargeRate", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        item = await _item(repo, uow, cmd.charge_item_id)
        item.rate_set(cmd.effective_from, cmd.rate_1e4, uow.actor)
        await repo.set_rate(item, cmd.effective_from, cmd.rate_1e4)
        await uow.commit({"id": str(item.id)})
    return item.id


async def set_charge_override(cmd: SetChargeOverride, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"chargeItemId": str(cmd.charge_item_id), "unitId": str(cmd.unit_id), "excluded": cmd.excluded,
                   "rate1e4": cmd.rate_1e4, "reason": cmd.reason, "until": cmd.until.isoformat() if cmd.until else None}
        if (done := await uow.claim(cmd.idempotency_key, "setChargeOverride", request)) is not None:
            return UUID(done["id"])
        repo = FeeRepository(uow)
        item = await _item(repo, uow, cmd.charge_item_id)
        if await repo.unit_project(cmd.unit_id) != item.project_id:
            raise not_found("The unit", "unitId", zh="房屋")
        reason = item.override_set(cmd.unit_id, excluded=cmd.excluded, rate_1e4=cmd.rate_1e4, reason=cmd.reason,
                                   by=uow.actor)
        await repo.set_override(item, cmd.unit_id, excluded=cmd.excluded, rate_1e4=cmd.rate_1e4, reason=reason,
                                until=cmd.until)
        await uow.commit({"id": str(item.id)})
    return item.id


async def charge_one_off(cmd: ChargeOneOff, uow: UnitOfWork) -> list[UUID]:
    """一次性收费: the given amount to the named flats (or a building's), keyed as a run's bills are,
    so the same item and month for a flat is charged once."""
    async with uow:
        request = {"chargeItemId": str(cmd.charge_item_id), "amountFen": cmd.amount_fen, "period": cmd.period.isoformat(),
                   "dueOn": cmd.due_on.isoformat(), "unitIds": sorted(str(u) for u in cmd.unit_ids),
                   "buildingId": _id(cmd.building_id), "note": cmd.note}
        if (done := await uow.claim(cmd.idempotency_key, "chargeOneOff", request)) is not None:
            return [UUID(b) for b in done["ids"]]
        repo = FeeRepository(uow)
        item = await _item(repo, uow, cmd.charge_item_id)
        if item.basis is not ChargeBasis.ONE_OFF:
            raise invalid("只有一次性收费项目可以单独收费。Only a one-off item is charged by hand.", "chargeItemId")
        first_of_month(cmd.period, "period")
        positive_fen(cmd.amount_fen, "amountFen")
        if cmd.due_on < cmd.period:
            raise invalid("缴费期限不能早于账期。dueOn must not be before the period.", "dueOn")
        note = text_field(cmd.note, "note", zh="备注", max_len=200, required=False)
        if not cmd.unit_ids and cmd.building_id is None:
            raise invalid("请选择房屋或楼栋。Name flats or a building.", "unitIds")
        units = await repo.units_of(item.project_id, list(cmd.unit_ids), cmd.building_id)
        if len(units) < len(set(cmd.unit_ids)) or (cmd.building_id is not None and not units):
            raise not_found("A unit or the building", "unitIds", zh="房屋或楼栋")
        ids = await repo.charge_one_off(item, units, period=cmd.period, due_on=cmd.due_on, amount_fen=cmd.amount_fen,
                                        note=note)
        event = Event(topic="bills.charged", org_id=uow.org_id, project_id=item.project_id,
                      payload={"charge_item_id": str(item.id), "count": len(ids), "amount_fen": cmd.amount_fen,
                               "period": cmd.period.isoformat(), "actor": uow.actor})
        uow.track(Aggregate(audit=[AuditEntry(action="bills.charged", entity="charge_item", entity_id=item.id,
                                              project_id=item.project_id, data={"count": len(ids), "amount_fen": cmd.amount_fen},
                                              event_id=event.id)], events=[event]))
        await uow.commit({"ids": [str(i) for i in ids]})
    return ids
