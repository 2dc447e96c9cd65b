"""档案 The property archive's places and stays: buildings, flats and who lives in them. Shaping
rows only; the rows come from domain/archive/reads*.py through the request's dataloaders."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.reach import required_project_in_reach
from api.graphql.types.node import (
    Connection, Edge, Node, PageInfo, decode_cursor, encode_cursor, from_global_id, page_size,
    to_global_id,
)
from api.dataloaders.unit_pages_by_building import UnitPageKey
from api.graphql.types.project import Project
from domain.archive import reads
from domain.archive.flat_query import required_flat_query
from domain.archive.accuracy import KIND_OF, UNITS, Problem
from domain.archive.kinds import ROLE_LABELS, USE_LABELS, OccupantRole, UnitUse
from domain.errors import invalid
from domain.reads import Row

if TYPE_CHECKING:
    from api.graphql.types.belongings import ParkingSpace
    from api.graphql.types.case import Case
    from api.graphql.types.resident import Resident

UnitUseType = strawberry.enum(UnitUse, name="UnitUse", description="房屋用途 住宅 residential, 办公 office, 商铺 shop, "
                                                                   "储藏 storage, 其他 other")
OccupantRoleType = strawberry.enum(OccupantRole, name="OccupantRole", description="身份 业主 owner, 租户 tenant, 家属 family")
ArchiveProblemType = strawberry.enum(
    Problem, name="ArchiveProblem",
    description="档案问题 (docs/archive.md §7) NO_PHONE 无联系电话, OWNER_NO_ID 业主无证件号, NO_MOVE_IN 无迁入日期, "
                "UNIT_UNACCOUNTED 房屋无人且未标空置, UNIT_NO_AREA 房屋无面积, NOT_VERIFIED 一年未核实, "
                "VACCINATION_DUE 犬猫疫苗过期, VEHICLE_EXPIRED 车辆登记过期")


@strawberry.type(description="楼栋 A building of a project.")
class Building(Node):
    project_id: strawberry.Private[UUID]
    building_id: strawberry.Private[UUID]
    name: str
    floors: int
    unit_count: int

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="The building's flats by entrance, floor and number.")
    async def units(self, info: Info, filter: UnitFilter | None = None, first: int | None = 20,
                    after: str | None = None) -> Connection[Unit]:
        # Through a loader: a page of buildings reads all their pages of flats in one statement.
        limit = page_size(first)
        key = UnitPageKey(self.project_id, self.building_id, unit_terms(filter), after_id(after), limit + 1)
        return connection(await info.context.loaders.unit_pages_by_building.load(key), limit, Unit.from_row)

    @classmethod
    def from_row(cls, row: Row) -> Building:
        return cls(id=to_global_id("Building", row.id), project_id=row.project_id, building_id=row.id, name=row.name,
                   floors=row.floors, unit_count=row.unit_count)


@strawberry.type(description="房屋 A flat, shop or other unit of a building.")
class Unit(Node):
    unit_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    building_id: strawberry.Private[UUID]
    entrance: str = strawberry.field(description="单元 The entrance (stairwell); empty when the building has one.")
    number: str
    floor: int
    area_m2: float | None = strawberry.field(description="建筑面积 m²")
    use: UnitUseType
    vacant: bool = strawberry.field(description="空置 Said by a person to be empty.")
    label: str = strawberry.field(description="e.g. 3号楼 2单元 1502")
    app_user: bool | None = strawberry.field(
        default=None, description="使用App In a notice's unread list: someone living here now signed in to the owner app within "
                                  "180 days; null elsewhere.")

    @strawberry.field
    def use_label(self) -> str:
        return USE_LABELS[self.use]

    @strawberry.field
    async def building(self, info: Info) -> Building:
        row = await info.context.loaders.building_by_id.load(self.building_id)
        return Building.from_row(row)

    @strawberry.field(description="Who lives here now (current: true) or ever did, current stays first, then the newest "
                                  "(archive:read: flats are for everyone who registers cases, their people are not).")
    async def occupants(self, info: Info, current: bool = True) -> list[Occupancy]:
        from api.graphql.types.resident import archive_reader
        archive_reader(info, self.project_id)
        rows = await info.context.loaders.occupancies_by_unit.load(self.unit_id)
        return [Occupancy.from_row(r) for r in rows if not current or (r.moved_out_on is None and not r.erased)]

    @strawberry.field(description="车位 The parking spaces that belong to the flat, by area and number (archive:read: "
                                  "who holds them is the family's archive).")
    async def parking_spaces(self, info: Info) -> list[Annotated[ParkingSpace, strawberry.lazy("api.graphql.types.belongings")]]:
        from api.graphql.types.belongings import ParkingSpace
        from api.graphql.types.resident import archive_reader
        archive_reader(info, self.project_id)
        return [ParkingSpace.from_row(r) for r in await info.context.loaders.parking_spaces_by_unit.load(self.unit_id)]

    @strawberry.field(description="未完成工单 Cases about the flat that are not closed, cancelled or declined, whoever "
                                  "reported them, oldest first (archive:read, as the flat's people).")
    async def open_cases(self, info: Info) -> list[Annotated[Case, strawberry.lazy("api.graphql.types.case")]]:
        from api.graphql.types.case import Case
        from api.graphql.types.resident import archive_reader
        archive_reader(info, self.project_id)
        return [Case.from_row(r) for r in await info.context.loaders.open_cases_by_unit.load(self.unit_id)]

    @classmethod
    def from_row(cls, row: Row) -> Unit:
        return cls(id=to_global_id("Unit", row.id), unit_id=row.id, project_id=row.project_id, building_id=row.building_id,
                   entrance=row.entrance,
                   number=row.number, floor=row.floor,
                   area_m2=float(row.area_m2) if row.area_m2 is not None else None, use=UnitUse(row.use), vacant=row.vacant,
                   label=row.label)


@strawberry.type(description="入住 A resident's stay in a flat: in which role, from when to when (history when closed).")
class Occupancy:
    id: strawberry.ID
    unit_id: strawberry.Private[UUID]
    resident_id: strawberry.Private[UUID]
    role: OccupantRoleType
    primary_contact: bool = strawberry.field(description="户主/主联系人")
    moved_in_on: date | None = strawberry.field(description="迁入 Unknown (null) for stays recorded before the archive.")
    moved_out_on: date | None

    @strawberry.field
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @strawberry.field
    def current(self) -> bool:
        return self.moved_out_on is None

    @strawberry.field
    async def unit(self, info: Info) -> Unit:
        return Unit.from_row(await info.context.loaders.unit_by_id.load(self.unit_id))

    @strawberry.field
    async def resident(self, info: Info) -> Annotated[Resident, strawberry.lazy("api.graphql.types.resident")]:
        from api.graphql.types.resident import Resident
        return Resident.from_row(await info.context.loaders.resident_by_id.load(self.resident_id))

    @classmethod
    def from_row(cls, row: Row) -> Occupancy:
        return cls(id=to_global_id("Occupancy", row.id), unit_id=row.unit_id, resident_id=row.resident_id,
                   role=OccupantRole(row.role), primary_contact=row.primary_contact, moved_in_on=row.moved_in_on,
                   moved_out_on=row.moved_out_on)


@strawberry.input(description="Which flats: all of them when empty.")
class UnitFilter:
    building_id: strawberry.ID | None = None
    entrance: str | None = None
    floor: int | None = None
    number: str | None = strawberry.field(default=None, description=(
        "Part of the flat number as callerLookup reads it: 150 finds 1502; 3-2-1502 or 3栋2单元1502 the whole "
        "number in building 3, entrance 2."))
    use: UnitUseType | None = None
    vacant: bool | None = None
    problem: ArchiveProblemType | None = strawberry.field(
        default=None, description="档案问题 The flats failing this check (UNIT_UNACCOUNTED or UNIT_NO_AREA), to fix.")


def problem_of(problem: Problem | None, kind: object, zh: str, en: str) -> str | None:
    """The problem's name when it is a check of this kind of record; VALIDATION otherwise."""
    if problem is None:
        return None
    if KIND_OF[problem] is not kind:
        raise invalid(f"「{problem.value}」不是{zh}的检查项。{problem.value} is not a check of {en}.", "problem")
    return problem.value


def after_id(after: str | None) -> UUID | None:
    cursor = decode_cursor(after)
    if cursor is None:
        return None
    try:
        return UUID(cursor)
    except ValueError:
        raise invalid("游标 after 无效，须为本接口给出的游标。after is not a cursor this API gave out.", "after") from None


def connection(rows: list[Row], limit: int, shape) -> Connection:  # type: ignore[no-untyped-def]
    """A page of `limit` from `limit + 1` rows; each row carries the filtered list's `total`."""
    edges = [Edge(cursor=encode_cursor(str(r.id)), node=shape(r)) for r in rows[:limit]]
    return Connection(edges=edges, total_count=rows[0].total if rows else 0,
                      page_info=PageInfo(has_next_page=len(rows) > limit, end_cursor=edges[-1].cursor if edges else None))


async def building_connection(info: Info, project_id: strawberry.ID, name: str | None, first: int | None,
                              after: str | None) -> Connection[Building]:
    project = await required_project_in_reach(info, project_id)
    limit = page_size(first)
    rows = await reads.building_page(info.context.db, project, name, after_id(after), limit + 1)
    return connection(rows, limit, Building.from_row)


def unit_terms(f: UnitFilter | None) -> reads.UnitFilter:
    f = f or UnitFilter()
    return reads.UnitFilter(
        building_id=from_global_id(f.building_id, "Building", "buildingId") if f.building_id else None,
        entrance=f.entrance, floor=f.floor, use=f.use.value if f.use else None, vacant=f.vacant,
        problem=problem_of(f.problem, UNITS, "房屋", "flats"),
        flat=required_flat_query(f.number, "number") if f.number is not None else None)


async def unit_connection(info: Info, project: UUID, f: UnitFilter | None, first: int | None,
                          after: str | None) -> Connection[Unit]:
    limit = page_size(first)
    rows = await reads.unit_page(info.context.db, project, unit_terms(f), after_id(after), limit + 1)
    return connection(rows, limit, Unit.from_row)


async def load_building(info: Info, building_id: UUID | None) -> Building | None:
    row = await info.context.loaders.building_by_id.load(building_id) if building_id else None
    return Building.from_row(row) if row else None


async def load_unit(info: Info, unit_id: UUID | None) -> Unit | None:
    row = await info.context.loaders.unit_by_id.load(unit_id) if unit_id else None
    return Unit.from_row(row) if row else None
