"""Editing what belongs to residents (docs/archive.md §5.2): contacts, parking spaces, vehicles,
pets — one function per command, as service.py does: claim the key, load the record locked
(another company's or project's is not found), `archive:manage` on its project, check what it
names (an owner, flat or space of the same project; an owner not erased), the rule, the natural
key, save, commit (the unit of work writes the audit row and the event).

A contact's value is canonicalised and sealed here; a key's request holds only whether a value,
plate or licence number was given, never the value (the key is kept 48 hours and erasing a
resident must not have to chase it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.archive.belongings import Contact, ParkingSpace, Pet, Vehicle, beijing_today
from domain.archive.belongings_commands import (
    AddContact, CreateParkingSpace, RegisterPet, RegisterVehicle, RemoveContact, RemovePet, RemoveVehicle,
    UpdateParkingSpace, UpdatePet, UpdateVehicle,
)
from domain.archive.belongings_repository import BelongingsRepository
from domain.archive.model import Sealed, erased_refusal
from domain.archive.repository import ArchiveRepository
from domain.archive.values import BadValue, canonical_contact
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.unit_of_work import UnitOfWork
from tenants.personal_data import PersonalDataCipher
from tenants.roles import Permission


@dataclass(frozen=True, slots=True)
class Done:
    """The record changed and whose it is (the resident, for payloads that answer their lists)."""

    id: UUID
    resident_id: UUID | None = None

    def result(self) -> dict[str, Any]:
        return {"id": str(self.id), "residentId": str(self.resident_id) if self.resident_id else None}

    @classmethod
    def of(cls, done: dict[str, Any]) -> Done:
        return cls(UUID(done["id"]), UUID(done["residentId"]) if done.get("residentId") else None)


def _s(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _exists(reason: ErrorReason, message: str, field: str, existing: tuple[str, UUID]) -> DomainError:
    return DomainError(ErrorCode.CONFLICT, message, field, reason=reason, existing=existing)


async def _owner(repo: BelongingsRepository, uow: UnitOfWork, resident_id: UUID, *, project_id: UUID | None = None,
                 field: str = "residentId") -> UUID:
    """The resident's project, checked: visible, `archive:manage` there (or, with `project_id`,
    of that project — the record's own), not erased."""
    row = await repo.owner(resident_id)
    if row is None or (project_id is not None and row.project_id != project_id):
        raise not_found("The resident in this project", field, zh="本项目中的住户")
    if project_id is None:
        uow.require(Permission.ARCHIVE_MANAGE, row.project_id, field)
    if row.erased:
        raise erased_refusal(field)
    return UUID(str(row.project_id))


async def _unit_in(repo: BelongingsRepository, unit_id: UUID | None, project_id: UUID) -> None:
    if unit_id is not None and await repo.unit_project(unit_id) != project_id:
        raise not_found("The unit in this project", "unitId", zh="本项目中的房屋")


async def _space_in(repo: BelongingsRepository, space_id: UUID | None, project_id: UUID) -> None:
    if space_id is not None and await repo.space_project(space_id) != project_id:
        raise not_found("The parking space in this project", "spaceId", zh="本项目中的车位")


# 联系方式 contacts

def _seal(cipher: PersonalDataCipher, kind: str, value: str) -> Sealed:
    try:
        canonical, masked = canonical_contact(kind, value)
    except BadValue as e:
        raise invalid(e.message, "value") from e
    return Sealed(enc=cipher.encrypt(canonical), hash=cipher.lookup_hash(canonical), masked=masked)


async def add_contact(cmd: AddContact, uow: UnitOfWork, *, cipher: PersonalDataCipher) -> Done:
    async with uow:
        request = {"residentId": str(cmd.resident_id), "kind": cmd.kind.value, "value": bool(cmd.value),
                   "label": bool(cmd.label)}
        if (done := await uow.claim(cmd.idempotency_key, "addResidentContact", request)) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        project = await _owner(repo, uow, cmd.resident_id)
        c = Contact.add(org_id=uow.org_id, project_id=project, resident_id=cmd.resident_id, kind=cmd.kind, label=cmd.label,
                        value=_seal(cipher, cmd.kind.value, cmd.value), by=uow.actor)
        if (other := await repo.same_contact(c)) is not None:
            raise _exists(ErrorReason.CONTACT_EXISTS, "该住户已有这个联系方式。The resident already has this contact.",
                          "value", ("ResidentContact", other))
        await repo.add_contact(c)
        out = Done(c.id, c.resident_id)
        await uow.commit(out.result())
    return out


async def remove_contact(cmd: RemoveContact, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "removeResidentContact", {"contactId": str(cmd.contact_id)})) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        c = await repo.contact(cmd.contact_id)
        if c is None:
            raise not_found("The contact", "contactId", zh="联系方式")
        uow.require(Permission.ARCHIVE_MANAGE, c.project_id, "contactId")
        c.remove(by=uow.actor)
        await repo.delete_contact(c)
        out = Done(c.id, c.resident_id)
        await uow.commit(out.result())
    return out


# 车位 parking spaces

def _space_request(cmd: CreateParkingSpace | UpdateParkingSpace) -> dict[str, Any]:
    request = {"area": cmd.area, "number": cmd.number, "tenure": _s(cmd.tenure and cmd.tenure.value),
               "unitId": _s(cmd.unit_id), "holderId": _s(cmd.holder_id), "leaseUntil": _s(cmd.lease_until)}
    if isinstance(cmd, CreateParkingSpace):
        return request | {"projectId": str(cmd.project_id)}
    return request | {"spaceId": str(cmd.space_id), "clear": sorted(cmd.clear)}


async def _space_refs(repo: BelongingsRepository, uow: UnitOfWork, s: ParkingSpace, *, unit_id: UUID | None,
                      holder_id: UUID | None) -> None:
    """The flat and holder named anew must be of the space's project (a holder not erased)."""
    await _unit_in(repo, unit_id, s.project_id)
    if holder_id is not None:
        await _owner(repo, uow, holder_id, project_id=s.project_id, field="holderId")


async def _space_free(repo: BelongingsRepository, s: ParkingSpace) -> None:
    if (other := await repo.space_at(s)) is not None:
        where = f"{s.area} {s.number}".strip()
        raise _exists(ErrorReason.SPACE_EXISTS, f"本项目已有车位 {where}。Parking space {where} exists in this project.",
                      "number", ("ParkingSpace", other))


async def create_parking_space(cmd: CreateParkingSpace, uow: UnitOfWork) -> Done:
    async with uow:
        uow.require(Permission.ARCHIVE_MANAGE, cmd.project_id)
        if (done := await uow.claim(cmd.idempotency_key, "createParkingSpace", _space_request(cmd))) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        s = ParkingSpace.create(org_id=uow.org_id, project_id=cmd.project_id, area=cmd.area, number=cmd.number,
                                tenure=cmd.tenure, unit_id=cmd.unit_id, holder_id=cmd.holder_id,
                                lease_until=cmd.lease_until, by=uow.actor)
        if not await ArchiveRepository(uow).project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        await _space_refs(repo, uow, s, unit_id=cmd.unit_id, holder_id=cmd.holder_id)
        await _space_free(repo, s)
        await repo.add_space(s)
        out = Done(s.id, s.holder_id)
        await uow.commit(out.result())
    return out


async def update_parking_space(cmd: UpdateParkingSpace, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "updateParkingSpace", _space_request(cmd))) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        s = await repo.space(cmd.space_id)
        if s is None:
            raise not_found("The parking space", "spaceId", zh="车位")
        uow.require(Permission.ARCHIVE_MANAGE, s.project_id, "spaceId")
        await _space_refs(repo, uow, s, unit_id=cmd.unit_id, holder_id=cmd.holder_id)
        changed = s.update(area=cmd.area, number=cmd.number, tenure=cmd.tenure, unit_id=cmd.unit_id,
                           holder_id=cmd.holder_id, lease_until=cmd.lease_until, clear=cmd.clear, by=uow.actor)
        if changed:
            await _space_free(repo, s)
            await repo.save_space(s)
        out = Done(s.id, s.holder_id)
        await uow.commit(out.result())
    return out


# 车辆 vehicles

def _vehicle_request(cmd: RegisterVehicle | UpdateVehicle) -> dict[str, Any]:
    request = {"residentId": _s(cmd.resident_id), "plate": cmd.plate is not None, "kind": _s(cmd.kind and cmd.kind.value),
               "brand": cmd.brand, "colour": cmd.colour, "spaceId": _s(cmd.space_id), "validUntil": _s(cmd.valid_until)}
    if isinstance(cmd, UpdateVehicle):
        return request | {"vehicleId": str(cmd.vehicle_id), "clear": sorted(cmd.clear)}
    return request


async def _plate_free(repo: BelongingsRepository, v: Vehicle) -> None:
    if (other := await repo.vehicle_with_plate(v)) is not None:
        raise _exists(ErrorReason.PLATE_EXISTS, "本项目已登记这个车牌。A vehicle with this plate is registered in this project.",
                      "plate", ("Vehicle", other))


async def register_vehicle(cmd: RegisterVehicle, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "registerVehicle", _vehicle_request(cmd))) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        project = await _owner(repo, uow, cmd.resident_id)
        await _space_in(repo, cmd.space_id, project)
        v = Vehicle.register(org_id=uow.org_id, project_id=project, resident_id=cmd.resident_id, plate=cmd.plate,
                             kind=cmd.kind, brand=cmd.brand, colour=cmd.colour, space_id=cmd.space_id,
                             valid_until=cmd.valid_until, by=uow.actor)
        await _plate_free(repo, v)
        await repo.add_vehicle(v)
        out = Done(v.id, v.resident_id)
        await uow.commit(out.result())
    return out


async def _vehicle(repo: BelongingsRepository, uow: UnitOfWork, vehicle_id: UUID) -> Vehicle:
    v = await repo.vehicle(vehicle_id)
    if v is None:
        raise not_found("The vehicle", "vehicleId", zh="车辆")
    uow.require(Permission.ARCHIVE_MANAGE, v.project_id, "vehicleId")
    return v


async def update_vehicle(cmd: UpdateVehicle, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "updateVehicle", _vehicle_request(cmd))) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        v = await _vehicle(repo, uow, cmd.vehicle_id)
        if cmd.resident_id is not None:
            await _owner(repo, uow, cmd.resident_id, project_id=v.project_id)
        await _space_in(repo, cmd.space_id, v.project_id)
        if v.update(resident_id=cmd.resident_id, plate=cmd.plate, kind=cmd.kind, brand=cmd.brand, colour=cmd.colour,
                    space_id=cmd.space_id, valid_until=cmd.valid_until, clear=cmd.clear, by=uow.actor):
            await _plate_free(repo, v)
            await repo.save_vehicle(v)
        out = Done(v.id, v.resident_id)
        await uow.commit(out.result())
    return out


async def remove_vehicle(cmd: RemoveVehicle, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "removeVehicle", {"vehicleId": str(cmd.vehicle_id)})) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        v = await _vehicle(repo, uow, cmd.vehicle_id)
        v.remove(by=uow.actor)
        await repo.delete_vehicle(v)
        out = Done(v.id, v.resident_id)
        await uow.commit(out.result())
    return out


# 宠物 pets

def _pet_request(cmd: RegisterPet | UpdatePet) -> dict[str, Any]:
    request = {"residentId": _s(cmd.resident_id), "unitId": _s(cmd.unit_id), "name": cmd.name,
               "species": _s(cmd.species and cmd.species.value), "breed": cmd.breed, "licenceNo": cmd.licence_no is not None,
               "vaccinatedOn": _s(cmd.vaccinated_on)}
    if isinstance(cmd, UpdatePet):
        return request | {"petId": str(cmd.pet_id), "clear": sorted(cmd.clear)}
    return request


async def _pet_free(repo: BelongingsRepository, p: Pet) -> None:
    if (other := await repo.pet_named(p)) is not None:
        raise _exists(ErrorReason.PET_EXISTS, f"该住户已有名为「{p.name}」的宠物。The resident has a pet named {p.name}.",
                      "name", ("Pet", other))


async def register_pet(cmd: RegisterPet, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "registerPet", _pet_request(cmd))) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        project = await _owner(repo, uow, cmd.resident_id)
        await _unit_in(repo, cmd.unit_id, project)
        p = Pet.register(org_id=uow.org_id, project_id=project, resident_id=cmd.resident_id, unit_id=cmd.unit_id,
                         name=cmd.name, species=cmd.species, breed=cmd.breed, licence_no=cmd.licence_no,
                         vaccinated_on=cmd.vaccinated_on, today=beijing_today(), by=uow.actor)
        await _pet_free(repo, p)
        await repo.add_pet(p)
        out = Done(p.id, p.resident_id)
        await uow.commit(out.result())
    return out


async def _pet(repo: BelongingsRepository, uow: UnitOfWork, pet_id: UUID) -> Pet:
    p = await repo.pet(pet_id)
    if p is None:
        raise not_found("The pet", "petId", zh="宠物")
    uow.require(Permission.ARCHIVE_MANAGE, p.project_id, "petId")
    return p


async def update_pet(cmd: UpdatePet, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "updatePet", _pet_request(cmd))) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        p = await _pet(repo, uow, cmd.pet_id)
        if cmd.resident_id is not None:
            await _owner(repo, uow, cmd.resident_id, project_id=p.project_id)
        await _unit_in(repo, cmd.unit_id, p.project_id)
        if p.update(resident_id=cmd.resident_id, unit_id=cmd.unit_id, name=cmd.name, species=cmd.species, breed=cmd.breed,
                    licence_no=cmd.licence_no, vaccinated_on=cmd.vaccinated_on, clear=cmd.clear, today=beijing_today(),
                    by=uow.actor):
            await _pet_free(repo, p)
            await repo.save_pet(p)
        out = Done(p.id, p.resident_id)
        await uow.commit(out.result())
    return out


async def remove_pet(cmd: RemovePet, uow: UnitOfWork) -> Done:
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "removePet", {"petId": str(cmd.pet_id)})) is not None:
            return Done.of(done)
        repo = BelongingsRepository(uow)
        p = await _pet(repo, uow, cmd.pet_id)
        p.remove(by=uow.actor)
        await repo.delete_pet(p)
        out = Done(p.id, p.resident_id)
        await uow.commit(out.result())
    return out
