"""住户 A resident as the archive shows them: phone and ID number masked, always. Whoever may read a
case sees its resident's name and masked phone (a technician must know whom to call); the rest of
the record needs `archive:read` on the resident's project."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.reach import required_project_in_reach
from api.graphql.types.archive import ArchiveProblemType, Occupancy, OccupantRoleType, after_id, connection, problem_of
from api.graphql.types.node import Connection, Node, from_global_id, page_size, to_global_id
from api.graphql.types.project import Project
from domain.archive.accuracy import RESIDENTS
from domain.archive.kinds import ID_KIND_LABELS, IdKind, ResidentKind
from domain.archive.reads_people import RECENT_LIMIT, ResidentFilter as ResidentTerms, resident_page
from domain.archive.values import BadValue, canonical_id_number, canonical_phone
from domain.errors import DomainError, ErrorCode, invalid
from domain.reads import Row
from tenants.roles import Permission

if TYPE_CHECKING:
    from api.graphql.types.belongings import Pet, ResidentContact, Vehicle
    from api.graphql.types.case import Case

_BELONGINGS = "api.graphql.types.belongings"

ResidentKindType = strawberry.enum(ResidentKind, name="ResidentKind", description="个人 person or 单位 company")
IdKindType = strawberry.enum(IdKind, name="IdKind", description="证件类型 Kind of identity document")


def archive_reader(info: Info, project_id: UUID) -> None:
    """The fields beyond name and masked phone: the family's archive is for those who keep it."""
    if not info.context.require().can(Permission.ARCHIVE_READ, project_id):
        raise DomainError(ErrorCode.FORBIDDEN, f"您无权查看住户档案。This needs the permission {Permission.ARCHIVE_READ.value} "
                                               "on the resident's project.")


def archive_projects(info: Info) -> list[UUID] | None:
    """Where the caller may read the archive: None for the whole company."""
    p = info.context.require()
    if p.can(Permission.ARCHIVE_READ, None):
        return None
    return [project for project in p.projects or () if p.can(Permission.ARCHIVE_READ, project)]


@strawberry.type(description="住户 A person or company of one project, with the flats they live in (occupancies).")
class Resident(Node):
    resident_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    id_number_masked_: strawberry.Private[str | None]
    id_kind_: strawberry.Private[str | None]
    note_: strawberry.Private[str]
    verified_at_: strawberry.Private[datetime | None]
    name: str
    kind: ResidentKindType
    phone_masked: str | None = strawberry.field(description="e.g. 138****1234")
    erased: bool = strawberry.field(description="已删除 Their personal data was erased on request; cases stay, anonymised.")

    @strawberry.field(description="The project whose archive holds them (archive:read).")
    async def project(self, info: Info) -> Project | None:
        archive_reader(info, self.project_id)
        row = await info.context.loaders.project_by_id.load(self.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="证件类型 (archive:read)")
    def id_kind(self, info: Info) -> IdKindType | None:
        archive_reader(info, self.project_id)
        return IdKind(self.id_kind_) if self.id_kind_ else None

    @strawberry.field(description="证件类型 in Chinese (archive:read)")
    def id_kind_label(self, info: Info) -> str | None:
        archive_reader(info, self.project_id)
        return ID_KIND_LABELS[IdKind(self.id_kind_)] if self.id_kind_ else None

    @strawberry.field(description="e.g. 1101**********002X (archive:read)")
    def id_number_masked(self, info: Info) -> str | None:
        archive_reader(info, self.project_id)
        return self.id_number_masked_

    @strawberry.field(description="备注 (archive:read)")
    def note(self, info: Info) -> str:
        archive_reader(info, self.project_id)
        return self.note_

    @strawberry.field(description="核实 When a person last confirmed the record; null: never (archive:read).")
    def verified_at(self, info: Info) -> datetime | None:
        archive_reader(info, self.project_id)
        return self.verified_at_

    @strawberry.field(description="Where they live now (current: true) or ever did, current first, then the newest "
                                  "(archive:read).")
    async def occupancies(self, info: Info, current: bool = True) -> list[Occupancy]:
        archive_reader(info, self.project_id)
        rows = await info.context.loaders.occupancies_by_resident.load(self.resident_id)
        return [Occupancy.from_row(r) for r in rows if not current or r.moved_out_on is None]

    @strawberry.field(description="未完成工单 Cases they reported that are not closed, cancelled or declined, oldest first "
                                  "(archive:read).")
    async def open_cases(self, info: Info) -> list[Annotated["Case", strawberry.lazy("api.graphql.types.case")]]:
        from api.graphql.types.case import Case
        archive_reader(info, self.project_id)
        return [Case.from_row(r) for r in await info.context.loaders.open_cases_by_resident.load(self.resident_id)]

    @strawberry.field(description=f"最近工单 Their newest cases in any state, at most {RECENT_LIMIT} (archive:read).")
    async def recent_cases(self, info: Info, first: int = 10) -> list[Annotated["Case", strawberry.lazy("api.graphql.types.case")]]:
        from api.graphql.types.case import Case
        archive_reader(info, self.project_id)
        if not 0 <= first <= RECENT_LIMIT:
            raise invalid(f"数量 first 须在 0 到 {RECENT_LIMIT} 之间。first must be between 0 and {RECENT_LIMIT}.", "first")
        rows = await info.context.loaders.recent_cases_by_resident.load((self.resident_id, first))
        return [Case.from_row(r) for r in rows]

    @strawberry.field(description="联系方式 Further phones, e-mail, WeChat, emergency contacts; masked (archive:read).")
    async def contacts(self, info: Info) -> list[Annotated[ResidentContact, strawberry.lazy(_BELONGINGS)]]:
        from api.graphql.types.belongings import ResidentContact
        archive_reader(info, self.project_id)
        return [ResidentContact.from_row(r) for r in await info.context.loaders.contacts_by_resident.load(self.resident_id)]

    @strawberry.field(description="车辆 Their vehicles by plate (archive:read).")
    async def vehicles(self, info: Info) -> list[Annotated[Vehicle, strawberry.lazy(_BELONGINGS)]]:
        from api.graphql.types.belongings import Vehicle
        archive_reader(info, self.project_id)
        return [Vehicle.from_row(r) for r in await info.context.loaders.vehicles_by_resident.load(self.resident_id)]

    @strawberry.field(description="宠物 Their pets by name (archive:read).")
    async def pets(self, info: Info) -> list[Annotated[Pet, strawberry.lazy(_BELONGINGS)]]:
        from api.graphql.types.belongings import Pet
        archive_reader(info, self.project_id)
        return [Pet.from_row(r) for r in await info.context.loaders.pets_by_resident.load(self.resident_id)]

    @classmethod
    def from_row(cls, row: Row) -> Resident:
        return cls(id=to_global_id("Resident", row.id), resident_id=row.id, project_id=row.project_id,
                   id_number_masked_=row.id_number_masked, id_kind_=row.id_kind, note_=row.note,
                   verified_at_=row.verified_at, name=row.name, kind=ResidentKind(row.kind),
                   phone_masked=row.phone_masked, erased=row.erased)


@strawberry.input(description="Which residents: those living in the project now when empty.")
class ResidentFilter:
    name: str | None = strawberry.field(default=None, description="The start of the name.")
    phone: str | None = strawberry.field(default=None, description="The whole number (theirs or a contact's), any usual "
                                                                   "spelling: +86 138 0013 8000.")
    id_number: str | None = strawberry.field(default=None, description="The whole ID card number.")
    unit_id: strawberry.ID | None = None
    building_id: strawberry.ID | None = None
    role: OccupantRoleType | None = None
    current: bool = strawberry.field(default=True, description="Only those with an open stay (matching the flat, "
                                                               "building and role given); false: anyone on file.")
    problem: ArchiveProblemType | None = strawberry.field(
        default=None, description="档案问题 The current residents failing this check (NO_PHONE, OWNER_NO_ID, NO_MOVE_IN or "
                                  "NOT_VERIFIED), to fix.")


def _terms(info: Info, f: ResidentFilter) -> ResidentTerms:
    cipher = info.context.platform.cipher
    try:
        phone = cipher.lookup_hash(canonical_phone(f.phone)) if f.phone else None
        id_number = cipher.lookup_hash(canonical_id_number(f.id_number)) if f.id_number else None
    except BadValue as e:
        raise invalid(e.message, "phone" if e.code == "BAD_PHONE" else "idNumber") from None
    return ResidentTerms(
        name=f.name, phone_hash=phone, id_number_hash=id_number,
        unit_id=from_global_id(f.unit_id, "Unit", "unitId") if f.unit_id else None,
        building_id=from_global_id(f.building_id, "Building", "buildingId") if f.building_id else None,
        role=f.role.value if f.role else None, current=f.current, problem=problem_of(f.problem, RESIDENTS, "住户", "residents"))


async def resident_connection(info: Info, project_id: strawberry.ID, f: ResidentFilter | None, first: int | None,
                              after: str | None) -> Connection[Resident]:
    project = await required_project_in_reach(info, project_id)
    archive_reader(info, project)
    limit = page_size(first)
    rows = await resident_page(info.context.db, project, _terms(info, f or ResidentFilter()), after_id(after), limit + 1)
    return connection(rows, limit, Resident.from_row)


async def load_resident(info: Info, resident_id: UUID | None) -> Resident | None:
    row = await info.context.loaders.resident_by_id.load(resident_id) if resident_id else None
    return Resident.from_row(row) if row else None
