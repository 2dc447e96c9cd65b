"""The archive's edits in PostgreSQL: buildings, flats, residents and their stays — loaded locked
for a change, looked up by natural key before a new one is added, and saved. Every statement
names the company; row-level security walls it (and the caller's projects) all the same, so
another company's id is simply not found."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import text

from domain.archive.kinds import IdKind, OccupantRole, ResidentKind, UnitUse
from domain.archive.model import Building, Occupancy, Resident, Sealed, Unit
from domain.unit_of_work import UnitOfWork

T = TypeVar("T", Building, Unit, Resident, Occupancy)

_PROJECT = text("SELECT 1 FROM projects WHERE org_id = :o AND id = :p")

_BUILDING = text("SELECT id, project_id, name, floors FROM buildings WHERE org_id = :o AND id = :id FOR UPDATE")
_BUILDING_NAMED = text("SELECT id FROM buildings WHERE org_id = :o AND project_id = :p AND name = :name AND id <> :id")
_INSERT_BUILDING = text("INSERT INTO buildings (org_id, project_id, id, name, floors) VALUES (:o, :p, :id, :name, :floors)")
# The building's highest flat above a floor count, as people say it (after any rename in this transaction).
_FLAT_ABOVE = text(
    "SELECT concat_ws(' ', b.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number) AS label, u.floor "
    "FROM units u JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
    "WHERE u.org_id = :o AND u.building_id = :b AND u.floor > :floors ORDER BY u.floor DESC, u.entrance, u.number LIMIT 1")
_UPDATE_BUILDING = text("UPDATE buildings SET name = :name, floors = :floors, updated_at = now() "
                        "WHERE org_id = :o AND id = :id")

_UNIT = text("SELECT id, project_id, building_id, entrance, number, floor, area_m2, use, vacant FROM units "
             "WHERE org_id = :o AND id = :id FOR UPDATE")
_UNIT_AT = text("SELECT id FROM units WHERE org_id = :o AND project_id = :p AND building_id = :b AND entrance = :e "
                "AND number = :n AND id <> :id")
_INSERT_UNIT = text("INSERT INTO units (org_id, project_id, id, building_id, entrance, number, floor, area_m2, use, vacant) "
                    "VALUES (:o, :p, :id, :b, :entrance, :number, :floor, :area_m2, :use, :vacant)")
_UPDATE_UNIT = text("UPDATE units SET entrance = :entrance, number = :number, floor = :floor, area_m2 = :area_m2, "
                    "use = :use, vacant = :vacant, updated_at = now() WHERE org_id = :o AND id = :id")

_RESIDENT = text("SELECT id, project_id, name, kind, phone_enc, phone_hash, phone_masked, id_kind, id_number_enc, "
                 "id_number_hash, id_number_masked, note, verified_at, erased_at, erased_by FROM residents "
                 "WHERE org_id = :o AND id = :id FOR UPDATE")
# The natural keys' unique indexes (0027) leave erased residents out, and so do these.
_RESIDENT_BY_PHONE = text("SELECT id FROM residents WHERE org_id = :o AND project_id = :p AND name = :name "
                          "AND phone_hash = :h AND erased_at IS NULL AND id <> :id")
_RESIDENT_BY_ID_NUMBER = text("SELECT id FROM residents WHERE org_id = :o AND project_id = :p AND id_number_hash = :h "
                              "AND erased_at IS NULL AND id <> :id")
_INSERT_RESIDENT = text(
    "INSERT INTO residents (org_id, project_id, id, name, kind, phone_enc, phone_hash, phone_masked, id_kind, "
    "id_number_enc, id_number_hash, id_number_masked, note, verified_at) "
    "VALUES (:o, :p, :id, :name, :kind, :pe, :ph, :pm, :ik, :ie, :ih, :im, :note, :verified_at)")
_UPDATE_RESIDENT = text(
    "UPDATE residents SET name = :name, kind = :kind, phone_enc = :pe, phone_hash = :ph, phone_masked = :pm, "
    "id_kind = :ik, id_number_enc = :ie, id_number_hash = :ih, id_number_masked = :im, note = :note, "
    "verified_at = :verified_at, updated_at = now() WHERE org_id = :o AND id = :id")

_OCCUPANCY = text("SELECT id, project_id, unit_id, resident_id, role, primary_contact, moved_in_on, moved_out_on "
                  "FROM occupancies WHERE org_id = :o AND id = :id FOR UPDATE")
_OPEN_STAY = text("SELECT id FROM occupancies WHERE org_id = :o AND project_id = :p AND unit_id = :u "
                  "AND resident_id = :r AND moved_out_on IS NULL")
_INSERT_OCCUPANCY = text(
    "INSERT INTO occupancies (org_id, project_id, id, unit_id, resident_id, role, primary_contact, moved_in_on) "
    "VALUES (:o, :p, :id, :u, :r, :role, :primary, :moved_in_on)")
_END_OCCUPANCY = text("UPDATE occupancies SET moved_out_on = :out, updated_at = now() WHERE org_id = :o AND id = :id")


def _sealed(enc: bytes | None, hash_: bytes | None, masked: str | None) -> Sealed | None:
    return Sealed(enc=enc, hash=hash_, masked=masked or "") if enc is not None and hash_ is not None else None


def _sealed_params(prefix: str, value: Sealed | None) -> dict[str, Any]:
    return {f"{prefix}e": value.enc if value else None, f"{prefix}h": value.hash if value else None,
            f"{prefix}m": value.masked if value else None}


class ArchiveRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._org = uow.org_id

    async def _one(self, stmt: Any, **params: Any) -> Any:
        return (await self._uow.conn.execute(stmt, {"o": self._org, **params})).first()

    async def _run(self, stmt: Any, **params: Any) -> None:
        await self._uow.conn.execute(stmt, {"o": self._org, **params})

    def _tracked(self, aggregate: T) -> T:
        self._uow.track(aggregate)
        return aggregate

    async def project_exists(self, project_id: UUID) -> bool:
        return await self._one(_PROJECT, p=project_id) is not None

    # 楼栋 buildings
    async def building(self, building_id: UUID) -> Building | None:
        row = await self._one(_BUILDING, id=building_id)
        if row is None:
            return None
        return self._tracked(Building(id=row.id, org_id=self._org, project_id=row.project_id, name=row.name,
                                      floors=row.floors))

    async def flat_above(self, building_id: UUID, floors: int) -> tuple[str, int] | None:
        """The building's highest flat on a floor above `floors` (its label and floor), if any."""
        row = await self._one(_FLAT_ABOVE, b=building_id, floors=floors)
        return (row.label, row.floor) if row else None

    async def building_named(self, project_id: UUID, name: str, *, other_than: UUID | None = None) -> UUID | None:
        row = await self._one(_BUILDING_NAMED, p=project_id, name=name, id=other_than or _NONE)
        return row.id if row else None

    async def add_building(self, b: Building) -> None:
        self._tracked(b)
        await self._run(_INSERT_BUILDING, p=b.project_id, id=b.id, name=b.name, floors=b.floors)

    async def save_building(self, b: Building) -> None:
        await self._run(_UPDATE_BUILDING, id=b.id, name=b.name, floors=b.floors)

    # 房屋 flats
    async def unit(self, unit_id: UUID) -> Unit | None:
        row = await self._one(_UNIT, id=unit_id)
        if row is None:
            return None
        return self._tracked(Unit(id=row.id, org_id=self._org, project_id=row.project_id, building_id=row.building_id,
                                  entrance=row.entrance, number=row.number, floor=row.floor,
                                  area_m2=float(row.area_m2) if row.area_m2 is not None else None, use=UnitUse(row.use),
                                  vacant=row.vacant))

    async def unit_at(self, u: Unit) -> UUID | None:
        """Another flat of the project with this one's building, entrance and number."""
        row = await self._one(_UNIT_AT, p=u.project_id, b=u.building_id, e=u.entrance, n=u.number, id=u.id)
        return row.id if row else None

    def _unit_params(self, u: Unit) -> dict[str, Any]:
        return {"id": u.id, "entrance": u.entrance, "number": u.number, "floor": u.floor, "area_m2": u.area_m2,
                "use": u.use.value, "vacant": u.vacant}

    async def add_unit(self, u: Unit) -> None:
        self._tracked(u)
        await self._run(_INSERT_UNIT, p=u.project_id, b=u.building_id, **self._unit_params(u))

    async def save_unit(self, u: Unit) -> None:
        await self._run(_UPDATE_UNIT, **self._unit_params(u))

    # 住户 residents
    async def resident(self, resident_id: UUID) -> Resident | None:
        row = await self._one(_RESIDENT, id=resident_id)
        if row is None:
            return None
        return self._tracked(Resident(
            id=row.id, org_id=self._org, project_id=row.project_id, name=row.name, kind=ResidentKind(row.kind),
            phone=_sealed(row.phone_enc, row.phone_hash, row.phone_masked), id_kind=IdKind(row.id_kind) if row.id_kind else None,
            id_number=_sealed(row.id_number_enc, row.id_number_hash, row.id_number_masked), note=row.note,
            verified_at=row.verified_at, erased_at=row.erased_at, erased_by=row.erased_by))

    async def resident_matching(self, r: Resident) -> UUID | None:
        """Another resident of the project with the same name and phone, or the same ID number."""
        if r.phone is not None and (row := await self._one(_RESIDENT_BY_PHONE, p=r.project_id, name=r.name,
                                                             h=r.phone.hash, id=r.id)):
            return UUID(str(row.id))
        if r.id_number is not None and (row := await self._one(_RESIDENT_BY_ID_NUMBER, p=r.project_id,
                                                                 h=r.id_number.hash, id=r.id)):
            return UUID(str(row.id))
        return None

    def _resident_params(self, r: Resident) -> dict[str, Any]:
        return {"id": r.id, "name": r.name, "kind": r.kind.value, "ik": r.id_kind.value if r.id_kind else None,
                "note": r.note, "verified_at": r.verified_at, **_sealed_params("p", r.phone),
                **_sealed_params("i", r.id_number)}

    async def add_resident(self, r: Resident) -> None:
        self._tracked(r)
        await self._run(_INSERT_RESIDENT, p=r.project_id, **self._resident_params(r))

    async def save_resident(self, r: Resident) -> None:
        await self._run(_UPDATE_RESIDENT, **self._resident_params(r))

    # 入住 stays
    async def occupancy(self, occupancy_id: UUID) -> Occupancy | None:
        row = await self._one(_OCCUPANCY, id=occupancy_id)
        if row is None:
            return None
        return self._tracked(Occupancy(id=row.id, org_id=self._org, project_id=row.project_id, unit_id=row.unit_id,
                                       resident_id=row.resident_id, role=OccupantRole(row.role),
                                       primary_contact=row.primary_contact, moved_in_on=row.moved_in_on,
                                       moved_out_on=row.moved_out_on))

    async def open_stay(self, o: Occupancy) -> UUID | None:
        row = await self._one(_OPEN_STAY, p=o.project_id, u=o.unit_id, r=o.resident_id)
        return row.id if row else None

    async def add_occupancy(self, o: Occupancy) -> None:
        self._tracked(o)
        await self._run(_INSERT_OCCUPANCY, p=o.project_id, id=o.id, u=o.unit_id, r=o.resident_id, role=o.role.value,
                        primary=o.primary_contact, moved_in_on=o.moved_in_on)

    async def save_occupancy(self, o: Occupancy) -> None:
        await self._run(_END_OCCUPANCY, id=o.id, out=o.moved_out_on)


_NONE = UUID(int=0)  # "no row to leave out" for the natural-key look-ups
