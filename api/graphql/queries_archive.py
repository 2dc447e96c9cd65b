"""Root query fields of the property archive (docs/archive.md §5): places, people and their
belongings, the caller lookup, reveals, imports and accuracy, joined into `Query`. Another
company's or an unreachable project's ids are NOT_FOUND."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.archive import Building, Unit, UnitFilter, building_connection, unit_connection
from api.graphql.types.archive_accuracy import ArchiveAccuracy, archive_accuracy
from api.graphql.types.archive_import import ArchiveImport, archive_import, archive_imports
from api.graphql.types.belongings import (
    ParkingSpace, Pet, PetSpeciesType, Vehicle, parking_space_connection, pet_connection, vehicle_connection,
)
from api.graphql.types.caller_lookup import CallerLookup, PersonalDataReveal, caller_lookup, personal_data_reveals
from api.graphql.types.node import Connection, from_global_id
from api.graphql.types.resident import Resident, ResidentFilter, resident_connection
from tenants.roles import Permission


@strawberry.type
class ArchiveQueries:
    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="楼栋 A project's buildings by name (optionally those whose name starts with `name`).")
    async def buildings(self, info: Info, project_id: strawberry.ID, name: str | None = None, first: int | None = 20,
                        after: str | None = None) -> Connection[Building]:
        return await building_connection(info, project_id, name, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.PROJECT_READ)],
                      description="房屋 A project's flats by building, entrance, floor and number.")
    async def units(self, info: Info, project_id: strawberry.ID, filter: UnitFilter | None = None, first: int | None = 20,
                    after: str | None = None) -> Connection[Unit]:
        project = await required_project_in_reach(info, project_id)
        return await unit_connection(info, project, filter, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_READ)],
                      description="住户 A project's residents by name; phone and ID number found through their keyed hash.")
    async def residents(self, info: Info, project_id: strawberry.ID, filter: ResidentFilter | None = None,
                        first: int | None = 20, after: str | None = None) -> Connection[Resident]:
        return await resident_connection(info, project_id, filter, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_READ)],
                      description="车位 A project's parking spaces by area and number; vacant: no vehicle registered on it.")
    async def parking_spaces(self, info: Info, project_id: strawberry.ID, area: str | None = None, vacant: bool | None = None,
                             first: int | None = 20, after: str | None = None) -> Connection[ParkingSpace]:
        return await parking_space_connection(info, project_id, area, vacant, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_READ)],
                      description="车辆 A project's vehicles by plate; plate: part of one (京a·123 finds 京A12345).")
    async def vehicles(self, info: Info, project_id: strawberry.ID, plate: str | None = None,
                       resident_id: strawberry.ID | None = None, first: int | None = 20,
                       after: str | None = None) -> Connection[Vehicle]:
        return await vehicle_connection(info, project_id, plate, resident_id, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_READ)],
                      description="宠物 A project's pets by name; vaccinationDue: dogs and cats needing their yearly shot.")
    async def pets(self, info: Info, project_id: strawberry.ID, species: PetSpeciesType | None = None,
                   vaccination_due: bool | None = None, first: int | None = 20, after: str | None = None) -> Connection[Pet]:
        return await pet_connection(info, project_id, species, vaccination_due, first, after)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_READ)],
                      description="档案准确率 Each project's archive accuracy as stored for a Beijing day (by default its "
                                  "latest): one project, or every project where you hold archive:read.")
    async def archive_accuracy(self, info: Info, project_id: strawberry.ID | None = None,
                               day: date | None = None) -> list[ArchiveAccuracy]:
        return await archive_accuracy(info, project_id, day)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_READ)],
                      description="来电识别 Find the caller in one step: by phone (any usual spelling; every project where "
                                  "you hold archive:read, or one) or by part of a flat number (3-1-1202, 3栋1202, 1202; "
                                  "needs projectId). Masked data only.")
    async def caller_lookup(self, info: Info, phone: str | None = None, flat: str | None = None,
                            project_id: strawberry.ID | None = None) -> CallerLookup:
        return await caller_lookup(info, phone, flat, project_id)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_IMPORT)],
                      description="导入记录 A project's recent archive imports, newest first (at most 50).")
    async def archive_imports(self, info: Info, project_id: strawberry.ID, first: int | None = 10) -> list[ArchiveImport]:
        return await archive_imports(info, project_id, first)

    @strawberry.field(permission_classes=[Requires(Permission.ARCHIVE_IMPORT)],
                      description="导入 One archive import with its progress and report, or null if not visible.")
    async def archive_import(self, info: Info, id: strawberry.ID) -> ArchiveImport | None:
        return await archive_import(info, from_global_id(id, "ArchiveImport"))

    @strawberry.field(permission_classes=[Requires(Permission.AUDIT_READ)],
                      description="查看记录 Who revealed a project's residents' personal data (or one resident's), "
                                  "when and why; newest first.")
    async def personal_data_reveals(self, info: Info, project_id: strawberry.ID, resident_id: strawberry.ID | None = None,
                                    first: int | None = 20, after: str | None = None) -> Connection[PersonalDataReveal]:
        return await personal_data_reveals(info, project_id, resident_id, first, after)
