"""A resident's contacts, spaces, vehicles and pets in PostgreSQL: loaded locked for a change,
looked up by natural key before one is added or renamed, saved, deleted. Every statement names the
company; row-level security walls it and the caller's projects all the same, so another
company's or project's id is simply not found."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import text

from domain.archive.belongings import Contact, ParkingSpace, Pet, Vehicle
from domain.archive.kinds import ContactKind, PetSpecies, SpaceTenure, VehicleKind
from domain.archive.model import Sealed
from domain.unit_of_work import UnitOfWork

T = TypeVar("T", Contact, ParkingSpace, Vehicle, Pet)

# FOR SHARE: the owner is not erased (nor its belongings deleted) while this change commits.
_OWNER = text("SELECT project_id, erased_at IS NOT NULL AS erased FROM residents WHERE org_id = :o AND id = :id FOR SHARE")
_UNIT_PROJECT = text("SELECT project_id FROM units WHERE org_id = :o AND id = :id")
_SPACE_PROJECT = text("SELECT project_id FROM parking_spaces WHERE org_id = :o AND id = :id FOR SHARE")

_CONTACT = text("SELECT id, project_id, resident_id, kind, label, value_enc, value_hash, value_masked "
                "FROM resident_contacts WHERE org_id = :o AND id = :id FOR UPDATE")
_CONTACT_SAME = text("SELECT id FROM resident_contacts WHERE org_id = :o AND project_id = :p AND resident_id = :r "
                     "AND kind = :kind AND value_hash = :h")
_INSERT_CONTACT = text(
    "INSERT INTO resident_contacts (org_id, project_id, id, resident_id, kind, label, value_enc, value_hash, value_masked) "
    "VALUES (:o, :p, :id, :r, :kind, :label, :enc, :h, :masked)")
_DELETE_CONTACT = text("DELETE FROM resident_contacts WHERE org_id = :o AND id = :id")

_SPACE = text("SELECT id, project_id, area, number, tenure, unit_id, holder_id, lease_until FROM parking_spaces "
              "WHERE org_id = :o AND id = :id FOR UPDATE")
_SPACE_AT = text("SELECT id FROM parking_spaces WHERE org_id = :o AND project_id = :p AND area = :area AND number = :number "
                 "AND id <> :id")
_INSERT_SPACE = text(
    "INSERT INTO parking_spaces (org_id, project_id, id, area, number, tenure, unit_id, holder_id, lease_until) "
    "VALUES (:o, :p, :id, :area, :number, :tenure, :unit, :holder, :lease_until)")
_UPDATE_SPACE = text("UPDATE parking_spaces SET area = :area, number = :number, tenure = :tenure, unit_id = :unit, "
                     "holder_id = :holder, lease_until = :lease_until, updated_at = now() WHERE org_id = :o AND id = :id")

_VEHICLE = text("SELECT id, project_id, resident_id, plate, kind, brand, colour, space_id, valid_until FROM vehicles "
                "WHERE org_id = :o AND id = :id FOR UPDATE")
_VEHICLE_PLATE = text("SELECT id FROM vehicles WHERE org_id = :o AND project_id = :p AND plate = :plate AND id <> :id")
_INSERT_VEHICLE = text(
    "INSERT INTO vehicles (org_id, project_id, id, resident_id, plate, kind, brand, colour, space_id, valid_until) "
    "VALUES (:o, :p, :id, :r, :plate, :kind, :brand, :colour, :space, :valid_until)")
_UPDATE_VEHICLE = text("UPDATE vehicles SET resident_id = :r, plate = :plate, kind = :kind, brand = :brand, colour = :colour, "
                       "space_id = :space, valid_until = :valid_until, updated_at = now() WHERE org_id = :o AND id = :id")
_DELETE_VEHICLE = text("DELETE FROM vehicles WHERE org_id = :o AND id = :id")

_PET = text("SELECT id, project_id, resident_id, unit_id, name, species, breed, licence_no, vaccinated_on FROM pets "
            "WHERE org_id = :o AND id = :id FOR UPDATE")
_PET_NAMED = text("SELECT id FROM pets WHERE org_id = :o AND project_id = :p AND resident_id = :r AND name = :name "
                  "AND id <> :id")
_INSERT_PET = text(
    "INSERT INTO pets (org_id, project_id, id, resident_id, unit_id, name, species, breed, licence_no, vaccinated_on) "
    "VALUES (:o, :p, :id, :r, :unit, :name, :species, :breed, :licence_no, :vaccinated_on)")
_UPDATE_PET = text("UPDATE pets SET resident_id = :r, unit_id = :unit, name = :name, species = :species, breed = :breed, "
                   "licence_no = :licence_no, vaccinated_on = :vaccinated_on, updated_at = now() "
                   "WHERE org_id = :o AND id = :id")
_DELETE_PET = text("DELETE FROM pets WHERE org_id = :o AND id = :id")


class BelongingsRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._org = uow.org_id

    async def _one(self, stmt: Any, **params: Any) -> Any:
        return (await self._uow.conn.execute(stmt, {"o": self._org, **params})).first()

    async def _run(self, stmt: Any, **params: Any) -> None:
        await self._uow.conn.execute(stmt, {"o": self._org, **params})

    async def _id(self, stmt: Any, **params: Any) -> UUID | None:
        row = await self._one(stmt, **params)
        return UUID(str(row.id)) if row else None

    def _tracked(self, aggregate: T) -> T:
        self._uow.track(aggregate)
        return aggregate

    # What a record names: the owner (its project, whether erased), a flat, a space.
    async def owner(self, resident_id: UUID) -> Any:
        return await self._one(_OWNER, id=resident_id)

    async def unit_project(self, unit_id: UUID) -> UUID | None:
        row = await self._one(_UNIT_PROJECT, id=unit_id)
        return row.project_id if row else None

    async def space_project(self, space_id: UUID) -> UUID | None:
        row = await self._one(_SPACE_PROJECT, id=space_id)
        return row.project_id if row else None

    # 联系方式 contacts
    async def contact(self, contact_id: UUID) -> Contact | None:
        row = await self._one(_CONTACT, id=contact_id)
        if row is None:
            return None
        return self._tracked(Contact(id=row.id, org_id=self._org, project_id=row.project_id, resident_id=row.resident_id,
                                     kind=ContactKind(row.kind), label=row.label,
                                     value=Sealed(enc=row.value_enc, hash=row.value_hash, masked=row.value_masked)))

    async def same_contact(self, c: Contact) -> UUID | None:
        return await self._id(_CONTACT_SAME, p=c.project_id, r=c.resident_id, kind=c.kind.value, h=c.value.hash)

    async def add_contact(self, c: Contact) -> None:
        self._tracked(c)
        await self._run(_INSERT_CONTACT, p=c.project_id, id=c.id, r=c.resident_id, kind=c.kind.value, label=c.label,
                        enc=c.value.enc, h=c.value.hash, masked=c.value.masked)

    async def delete_contact(self, c: Contact) -> None:
        await self._run(_DELETE_CONTACT, id=c.id)

    # 车位 parking spaces
    async def space(self, space_id: UUID) -> ParkingSpace | None:
        row = await self._one(_SPACE, id=space_id)
        if row is None:
            return None
        return self._tracked(ParkingSpace(id=row.id, org_id=self._org, project_id=row.project_id, area=row.area,
                                          number=row.number, tenure=SpaceTenure(row.tenure), unit_id=row.unit_id,
                                          holder_id=row.holder_id, lease_until=row.lease_until))

    async def space_at(self, s: ParkingSpace) -> UUID | None:
        """Another space of the project with this one's area and number."""
        return await self._id(_SPACE_AT, p=s.project_id, area=s.area, number=s.number, id=s.id)

    def _space_params(self, s: ParkingSpace) -> dict[str, Any]:
        return {"id": s.id, "area": s.area, "number": s.number, "tenure": s.tenure.value, "unit": s.unit_id,
                "holder": s.holder_id, "lease_until": s.lease_until}

    async def add_space(self, s: ParkingSpace) -> None:
        self._tracked(s)
        await self._run(_INSERT_SPACE, p=s.project_id, **self._space_params(s))

    async def save_space(self, s: ParkingSpace) -> None:
        await self._run(_UPDATE_SPACE, **self._space_params(s))

    # 车辆 vehicles
    async def vehicle(self, vehicle_id: UUID) -> Vehicle | None:
        row = await self._one(_VEHICLE, id=vehicle_id)
        if row is None:
            return None
        return self._tracked(Vehicle(id=row.id, org_id=self._org, project_id=row.project_id, resident_id=row.resident_id,
                                     plate=row.plate, kind=VehicleKind(row.kind), brand=row.brand, colour=row.colour,
                                     space_id=row.space_id, valid_until=row.valid_until))

    async def vehicle_with_plate(self, v: Vehicle) -> UUID | None:
        return await self._id(_VEHICLE_PLATE, p=v.project_id, plate=v.plate, id=v.id)

    def _vehicle_params(self, v: Vehicle) -> dict[str, Any]:
        return {"id": v.id, "r": v.resident_id, "plate": v.plate, "kind": v.kind.value, "brand": v.brand,
                "colour": v.colour, "space": v.space_id, "valid_until": v.valid_until}

    async def add_vehicle(self, v: Vehicle) -> None:
        self._tracked(v)
        await self._run(_INSERT_VEHICLE, p=v.project_id, **self._vehicle_params(v))

    async def save_vehicle(self, v: Vehicle) -> None:
        await self._run(_UPDATE_VEHICLE, **self._vehicle_params(v))

    async def delete_vehicle(self, v: Vehicle) -> None:
        await self._run(_DELETE_VEHICLE, id=v.id)

    # 宠物 pets
    async def pet(self, pet_id: UUID) -> Pet | None:
        row = await self._one(_PET, id=pet_id)
        if row is None:
            return None
        return self._tracked(Pet(id=row.id, org_id=self._org, project_id=row.project_id, resident_id=row.resident_id,
                                 unit_id=row.unit_id, name=row.name, species=PetSpecies(row.species), breed=row.breed,
                                 licence_no=row.licence_no, vaccinated_on=row.vaccinated_on))

    async def pet_named(self, p: Pet) -> UUID | None:
        """Another pet of the same owner with this name."""
        return await self._id(_PET_NAMED, p=p.project_id, r=p.resident_id, name=p.name, id=p.id)

    def _pet_params(self, p: Pet) -> dict[str, Any]:
        return {"id": p.id, "r": p.resident_id, "unit": p.unit_id, "name": p.name, "species": p.species.value,
                "breed": p.breed, "licence_no": p.licence_no, "vaccinated_on": p.vaccinated_on}

    async def add_pet(self, p: Pet) -> None:
        self._tracked(p)
        await self._run(_INSERT_PET, p=p.project_id, **self._pet_params(p))

    async def save_pet(self, p: Pet) -> None:
        await self._run(_UPDATE_PET, **self._pet_params(p))

    async def delete_pet(self, p: Pet) -> None:
        await self._run(_DELETE_PET, id=p.id)
