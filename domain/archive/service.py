"""Editing the archive (docs/archive.md §5.2): one function per command, each in the caller's unit
of work — claim the key, load the record locked (another company's or project's is not found),
`archive:manage` on its project, the rule, the natural key, save, commit (the unit of work
writes the audit row and the event). Phones and ID numbers are canonicalised, then sealed here
with the platform cipher; a key's request never holds them (personal data, even hashed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.archive.commands import (
    ConfirmResident, CreateBuilding, CreateUnit, MoveIn, MoveOut, RegisterResident, UpdateBuilding, UpdateResident,
    UpdateUnit,
)
from domain.archive.kinds import IdKind
from domain.archive.model import Building, Occupancy, Resident, Sealed, Unit, erased_refusal, floors_below_flat
from domain.archive.repository import ArchiveRepository
from domain.archive.values import BadValue, canonical_id_number, canonical_phone, mask_id_number, mask_phone
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.unit_of_work import UnitOfWork
from tenants.personal_data import PersonalDataCipher
from tenants.roles import Permission

_BEIJING = timedelta(hours=8)


def _today() -> date:
    """The Beijing day: a move-in typed at 07:00 in Beijing is dated that day."""
    return (datetime.now(UTC) + _BEIJING).date()


def _exists(reason: ErrorReason, message: str, field: str, existing: tuple[str, UUID]) -> DomainError:
    """`existing`: the record on file (its type's name, its id), which the payload's error names."""
    return DomainError(ErrorCode.CONFLICT, message, field, reason=reason, existing=existing)


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def _seal(cipher: PersonalDataCipher, value: str | None, *, field: str, id_kind: IdKind | None = None) -> Sealed | None:
    """None or "" is no number; anything else must be a valid one."""
    if not value or not value.strip():
        return None
    try:
        if id_kind is None:
            canonical = canonical_phone(value)
            masked = mask_phone(canonical)
        else:
            canonical = canonical_id_number(value, id_kind.value)
            masked = mask_id_number(canonical)
    except BadValue as e:
        raise invalid(e.message, field) from e
    return Sealed(enc=cipher.encrypt(canonical), hash=cipher.lookup_hash(canonical), masked=masked)


# 楼栋 buildings

async def create_building(cmd: CreateBuilding, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.ARCHIVE_MANAGE, cmd.project_id)
        request = {"projectId": str(cmd.project_id), "name": cmd.name, "floors": cmd.floors}
        if (done := await uow.claim(cmd.idempotency_key, "createBuilding", request)) is not None:
            return UUID(done["id"])
        repo = ArchiveRepository(uow)
        if not await repo.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        b = Building.create(org_id=uow.org_id, project_id=cmd.project_id, name=cmd.name, floors=cmd.floors, by=uow.actor)
        await _building_name_free(repo, b)
        await repo.add_building(b)
        await uow.commit({"id": str(b.id)})
    return b.id


async def update_building(cmd: UpdateBuilding, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"buildingId": str(cmd.building_id), "name": cmd.name, "floors": cmd.floors}
        if (done := await uow.claim(cmd.idempotency_key, "updateBuilding", request)) is not None:
            return UUID(done["id"])
        repo = ArchiveRepository(uow)
        b = await repo.building(cmd.building_id)
        if b is None:
            raise not_found("The building", "buildingId", zh="楼栋")
        uow.require(Permission.ARCHIVE_MANAGE, b.project_id, "buildingId")
        floors_before = b.floors
        if b.update(name=cmd.name, floors=cmd.floors, by=uow.actor):
            await _building_name_free(repo, b)
            await repo.save_building(b)
            # The building's row is locked (repo.building), and a flat is added or moved only under
            # that lock: no flat can land above the new top floor after this check.
            if b.floors < floors_before and (above := await repo.flat_above(b.id, b.floors)) is not None:
                raise floors_below_flat(*above)
        await uow.commit({"id": str(b.id)})
    return b.id


async def _building_name_free(repo: ArchiveRepository, b: Building) -> None:
    if (other := await repo.building_named(b.project_id, b.name, other_than=b.id)) is not None:
        raise _exists(ErrorReason.BUILDING_EXISTS, f"本项目已有楼栋「{b.name}」。A building named {b.name} exists in this project.",
                      "name", ("Building", other))


# 房屋 flats

async def create_unit(cmd: CreateUnit, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"buildingId": str(cmd.building_id), "entrance": cmd.entrance, "number": cmd.number, "floor": cmd.floor,
                   "areaM2": cmd.area_m2, "use": cmd.use.value, "vacant": cmd.vacant}
        if (done := await uow.claim(cmd.idempotency_key, "createUnit", request)) is not None:
            return UUID(done["id"])
        repo = ArchiveRepository(uow)
        b = await repo.building(cmd.building_id)
        if b is None:
            raise not_found("The building", "buildingId", zh="楼栋")
        uow.require(Permission.ARCHIVE_MANAGE, b.project_id, "buildingId")
        u = Unit.create(org_id=uow.org_id, project_id=b.project_id, building=b, entrance=cmd.entrance,
                        number=cmd.number, floor=cmd.floor, area_m2=cmd.area_m2, use=cmd.use, vacant=cmd.vacant,
                        by=uow.actor)
        await _unit_free(repo, u)
        await repo.add_unit(u)
        await uow.commit({"id": str(u.id)})
    return u.id


async def update_unit(cmd: UpdateUnit, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"unitId": str(cmd.unit_id), "entrance": cmd.entrance, "number": cmd.number, "floor": cmd.floor,
                   "areaM2": cmd.area_m2, "clearArea": cmd.clear_area, "use": cmd.use.value if cmd.use else None,
                   "vacant": cmd.vacant}
        if (done := await uow.claim(cmd.idempotency_key, "updateUnit", request)) is not None:
            return UUID(done["id"])
        repo = ArchiveRepository(uow)
        u = await repo.unit(cmd.unit_id)
        if u is None:
            raise not_found("The unit", "unitId", zh="房屋")
        uow.require(Permission.ARCHIVE_MANAGE, u.project_id, "unitId")
        # The building is read only to check a new floor against its floors.
        building = await repo.building(u.building_id) if cmd.floor is not None else None
        if u.update(entrance=cmd.entrance, number=cmd.number, floor=cmd.floor, building=building, area_m2=cmd.area_m2,
                    clear_area=cmd.clear_area, use=cmd.use, vacant=cmd.vacant, by=uow.actor):
            await _unit_free(repo, u)
            await repo.save_unit(u)
        await uow.commit({"id": str(u.id)})
    return u.id


async def _unit_free(repo: ArchiveRepository, u: Unit) -> None:
    if (other := await repo.unit_at(u)) is not None:
        where = f"{u.entrance}单元 {u.number}" if u.entrance else u.number
        raise _exists(ErrorReason.UNIT_EXISTS, f"该楼栋已有房屋 {where}。This building already has flat {where}.", "number",
                      ("Unit", other))


# 住户 residents

def _resident_request(cmd: RegisterResident | UpdateResident) -> dict[str, Any]:
    """The key's request: the fields as typed, but only whether a phone or ID number was given."""
    request: dict[str, Any] = {"name": cmd.name, "kind": cmd.kind.value if cmd.kind else None, "phone": cmd.phone is not None,
                               "idKind": cmd.id_kind.value if cmd.id_kind else None, "idNumber": cmd.id_number is not None,
                               "note": cmd.note}
    if isinstance(cmd, RegisterResident):
        request |= {"projectId": str(cmd.project_id), "unitId": _id(cmd.unit_id), "role": cmd.role.value,
                    "movedInOn": cmd.moved_in_on.isoformat() if cmd.moved_in_on else None,
                    "primaryContact": cmd.primary_contact}
    else:
        request["residentId"] = str(cmd.resident_id)
    return request


async def register_resident(cmd: RegisterResident, uow: UnitOfWork, *, cipher: PersonalDataCipher) -> UUID:
    """The person and, with `unit_id`, their first stay, in one transaction."""
    async with uow:
        uow.require(Permission.ARCHIVE_MANAGE, cmd.project_id)
        if (done := await uow.claim(cmd.idempotency_key, "registerResident", _resident_request(cmd))) is not None:
            return UUID(done["id"])
        repo = ArchiveRepository(uow)
        if not await repo.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        id_kind = cmd.id_kind or IdKind.ID_CARD
        r = Resident.register(org_id=uow.org_id, project_id=cmd.project_id, name=cmd.name, kind=cmd.kind,
                              phone=_seal(cipher, cmd.phone, field="phone"), id_kind=id_kind,
                              id_number=_seal(cipher, cmd.id_number, field="idNumber", id_kind=id_kind), note=cmd.note,
                              by=uow.actor)
        await _resident_free(repo, r)
        await repo.add_resident(r)
        if cmd.unit_id is not None:
            unit = await repo.unit(cmd.unit_id)
            if unit is None or unit.project_id != cmd.project_id:
                raise not_found("The unit in this project", "unitId", zh="本项目中的房屋")
            await repo.add_occupancy(Occupancy.start(org_id=uow.org_id, project_id=cmd.project_id, unit_id=unit.id,
                                                     resident_id=r.id, role=cmd.role, primary_contact=cmd.primary_contact,
                                                     moved_in_on=cmd.moved_in_on, today=_today(), by=uow.actor))
        await uow.commit({"id": str(r.id)})
    return r.id


async def update_resident(cmd: UpdateResident, uow: UnitOfWork, *, cipher: PersonalDataCipher) -> UUID:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "updateResident", _resident_request(cmd))) is not None:
            return UUID(done["id"])
        repo = ArchiveRepository(uow)
        r = await _resident(repo, uow, cmd.resident_id)
        id_kind = cmd.id_kind or r.id_kind or IdKind.ID_CARD
        if r.update(name=cmd.name, kind=cmd.kind, phone=_seal(cipher, cmd.phone, field="phone"), clear_phone=cmd.phone == "",
                    id_kind=cmd.id_kind, id_number=_seal(cipher, cmd.id_number, field="idNumber", id_kind=id_kind),
                    clear_id_number=cmd.id_number == "", note=cmd.note, now=datetime.now(UTC), by=uow.actor):
            await _resident_free(repo, r)
        await repo.save_resident(r)
        await uow.commit({"id": str(r.id)})
    return r.id


async def confirm_resident(cmd: ConfirmResident, uow: UnitOfWork) -> UUID:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "confirmResident", {"residentId": str(cmd.resident_id)})) is not None:
            return UUID(done["id"])
        repo = ArchiveRepository(uow)
        r = await _resident(repo, uow, cmd.resident_id)
        r.confirm(now=datetime.now(UTC), by=uow.actor)
        await repo.save_resident(r)
        await uow.commit({"id": str(r.id)})
    return r.id


async def _resident(repo: ArchiveRepository, uow: UnitOfWork, resident_id: UUID, field: str = "residentId") -> Resident:
    r = await repo.resident(resident_id)
    if r is None:
        raise not_found("The resident", field, zh="住户")
    uow.require(Permission.ARCHIVE_MANAGE, r.project_id, field)
    return r


async def _resident_free(repo: ArchiveRepository, r: Resident) -> None:
    if (other := await repo.resident_matching(r)) is not None:
        raise _exists(ErrorReason.RESIDENT_EXISTS, "本项目已有同名同手机号或同证件号的住户，请在原档案上办理。"
                                                   "A resident with this name and phone, or this ID number, exists.",
                      "phone" if r.phone is not None else "idNumber", ("Resident", other))


# 入住 stays

@dataclass(frozen=True, slots=True)
class Stay:
    id: UUID
    unit_id: UUID
    resident_id: UUID

    @classmethod
    def of(cls, done: dict[str, Any]) -> Stay:
        return cls(UUID(done["id"]), UUID(done["unitId"]), UUID(done["residentId"]))


def _stay(o: Occupancy) -> dict[str, Any]:
    return {"id": str(o.id), "unitId": str(o.unit_id), "residentId": str(o.resident_id)}


async def move_in(cmd: MoveIn, uow: UnitOfWork) -> Stay:
    """A resident's new stay in a flat of their project."""
    async with uow:
        request = {"unitId": str(cmd.unit_id), "residentId": str(cmd.resident_id), "role": cmd.role.value,
                   "movedInOn": cmd.moved_in_on.isoformat() if cmd.moved_in_on else None,
                   "primaryContact": cmd.primary_contact}
        if (done := await uow.claim(cmd.idempotency_key, "moveInResident", request)) is not None:
            return Stay.of(done)
        repo = ArchiveRepository(uow)
        r = await _resident(repo, uow, cmd.resident_id)
        if r.erased_at is not None:
            raise erased_refusal("residentId")
        unit = await repo.unit(cmd.unit_id)
        if unit is None or unit.project_id != r.project_id:
            raise not_found("The unit in the resident's project", "unitId", zh="该住户所在项目中的房屋")
        o = Occupancy.start(org_id=uow.org_id, project_id=r.project_id, unit_id=unit.id, resident_id=r.id, role=cmd.role,
                            primary_contact=cmd.primary_contact, moved_in_on=cmd.moved_in_on, today=_today(), by=uow.actor)
        if (other := await repo.open_stay(o)) is not None:
            raise _exists(ErrorReason.OCCUPANCY_EXISTS, "该住户已住在这套房屋，如需更改请先迁出。"
                                                        "The resident already lives in this flat.", "unitId",
                          ("Occupancy", other))
        await repo.add_occupancy(o)
        await uow.commit(_stay(o))
    return Stay.of(_stay(o))


async def move_out(cmd: MoveOut, uow: UnitOfWork) -> Stay:
    async with uow:
        request = {"occupancyId": str(cmd.occupancy_id), "movedOutOn": cmd.moved_out_on.isoformat()}
        if (done := await uow.claim(cmd.idempotency_key, "moveOutResident", request)) is not None:
            return Stay.of(done)
        repo = ArchiveRepository(uow)
        o = await repo.occupancy(cmd.occupancy_id)
        if o is None:
            raise not_found("The stay", "occupancyId", zh="入住记录")
        uow.require(Permission.ARCHIVE_MANAGE, o.project_id, "occupancyId")
        o.end(moved_out_on=cmd.moved_out_on, today=_today(), by=uow.actor)
        await repo.save_occupancy(o)
        await uow.commit(_stay(o))
    return Stay.of(_stay(o))
