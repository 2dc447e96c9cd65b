"""What belongs to residents, as the archive shows it: contacts (the value masked, always),
parking spaces, vehicles and pets. Shaping rows only; the rows come from
domain/archive/reads_belongings.py through the request's dataloaders. All of it is the family's
archive: lists need `archive:read` on the project, and `node(id)` answers null without it on the
record's project."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.reach import required_project_in_reach
from api.graphql.types.archive import Unit, after_id, connection, load_unit
from api.graphql.types.node import Connection, Node, from_global_id, page_size, to_global_id
from api.graphql.types.resident import Resident, archive_reader, load_resident
from domain.archive import reads_belongings as reads
from domain.archive.belongings import beijing_today, vaccination_cutoff, vaccination_due as due_on
from domain.archive.kinds import (
    CONTACT_KIND_LABELS, SPECIES_LABELS, TENURE_LABELS, VEHICLE_KIND_LABELS, ContactKind, PetSpecies, SpaceTenure,
    VehicleKind,
)
from domain.archive.values import plate_fragment
from domain.reads import Row
from tenants.roles import Permission

ContactKindType = strawberry.enum(ContactKind, name="ContactKind", description="联系方式类型 手机 mobile, 固定电话 "
                                  "landline, 电子邮箱 email, 微信 wechat, 紧急联系人 emergency")
SpaceTenureType = strawberry.enum(SpaceTenure, name="SpaceTenure", description="车位产权 产权 owned, 租赁 leased, 公共 public")
VehicleKindType = strawberry.enum(VehicleKind, name="VehicleKind", description="车辆类型 汽车 car, 新能源汽车 new_energy, "
                                  "摩托车 motorbike, 其他 other")
PetSpeciesType = strawberry.enum(PetSpecies, name="PetSpecies", description="宠物种类 犬 dog, 猫 cat, 其他 other")


@strawberry.type(description="联系方式 A further way to reach a resident; the value is shown masked only.")
class ResidentContact:
    id: strawberry.ID
    kind: ContactKindType
    label: str = strawberry.field(description="e.g. 紧急联系人·女儿")
    value_masked: str = strawberry.field(description="e.g. 139****5678, w***@example.com")

    @strawberry.field
    def kind_label(self) -> str:
        return CONTACT_KIND_LABELS[self.kind]

    @classmethod
    def from_row(cls, row: Row) -> ResidentContact:
        return cls(id=to_global_id("ResidentContact", row.id), kind=ContactKind(row.kind), label=row.label,
                   value_masked=row.value_masked)


@strawberry.type(description="车位 A parking space in a named area (停车区) of a project.")
class ParkingSpace(Node):
    space_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    unit_id: strawberry.Private[UUID | None]
    holder_id: strawberry.Private[UUID | None]
    area: str = strawberry.field(description="停车区, e.g. 地下B1; empty when the project has one.")
    number: str
    tenure: SpaceTenureType
    lease_until: date | None = strawberry.field(description="租期至 (leased spaces)")

    @strawberry.field
    def tenure_label(self) -> str:
        return TENURE_LABELS[self.tenure]

    @strawberry.field(description="The flat it belongs to, if any.")
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="持有人 The resident who owns or leases it.")
    async def holder(self, info: Info) -> Resident | None:
        return await load_resident(info, self.holder_id)

    @strawberry.field(description="The vehicles registered on it, by plate.")
    async def vehicles(self, info: Info) -> list[Vehicle]:
        return [Vehicle.from_row(r) for r in await info.context.loaders.vehicles_by_space.load(self.space_id)]

    @classmethod
    def from_row(cls, row: Row) -> ParkingSpace:
        return cls(id=to_global_id("ParkingSpace", row.id), space_id=row.id, project_id=row.project_id, unit_id=row.unit_id,
                   holder_id=row.holder_id, area=row.area, number=row.number, tenure=SpaceTenure(row.tenure),
                   lease_until=row.lease_until)


@strawberry.type(description="车辆 A resident's vehicle, by its plate (unique in the project).")
class Vehicle(Node):
    vehicle_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    resident_id: strawberry.Private[UUID]
    space_id: strawberry.Private[UUID | None]
    plate: str = strawberry.field(description="e.g. 京A12345: upper case, no spaces or dots")
    kind: VehicleKindType
    brand: str
    colour: str
    valid_until: date | None = strawberry.field(description="有效期至")

    @strawberry.field
    def kind_label(self) -> str:
        return VEHICLE_KIND_LABELS[self.kind]

    @strawberry.field(description="车主")
    async def owner(self, info: Info) -> Resident:
        return Resident.from_row(await info.context.loaders.resident_by_id.load(self.resident_id))

    @strawberry.field
    async def space(self, info: Info) -> ParkingSpace | None:
        row = await info.context.loaders.parking_space_by_id.load(self.space_id) if self.space_id else None
        return ParkingSpace.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: Row) -> Vehicle:
        return cls(id=to_global_id("Vehicle", row.id), vehicle_id=row.id, project_id=row.project_id,
                   resident_id=row.resident_id, space_id=row.space_id, plate=row.plate, kind=VehicleKind(row.kind),
                   brand=row.brand, colour=row.colour, valid_until=row.valid_until)


@strawberry.type(description="宠物 A resident's pet.")
class Pet(Node):
    pet_id: strawberry.Private[UUID]
    project_id: strawberry.Private[UUID]
    resident_id: strawberry.Private[UUID]
    unit_id: strawberry.Private[UUID | None]
    name: str
    species: PetSpeciesType
    breed: str
    licence_no: str = strawberry.field(description="犬证号")
    vaccinated_on: date | None = strawberry.field(description="最近疫苗日期")
    vaccination_due: bool = strawberry.field(description="需打疫苗: a dog or cat with no shot on record or none in the "
                                                         "last 365 days (Beijing day).")

    @strawberry.field
    def species_label(self) -> str:
        return SPECIES_LABELS[self.species]

    @strawberry.field(description="主人")
    async def owner(self, info: Info) -> Resident:
        return Resident.from_row(await info.context.loaders.resident_by_id.load(self.resident_id))

    @strawberry.field(description="The flat it lives in, if given.")
    async def unit(self, info: Info) -> Unit | None:
        return await load_unit(info, self.unit_id)

    @classmethod
    def from_row(cls, row: Row, today: date | None = None) -> Pet:
        species = PetSpecies(row.species)
        return cls(id=to_global_id("Pet", row.id), pet_id=row.id, project_id=row.project_id, resident_id=row.resident_id,
                   unit_id=row.unit_id, name=row.name, species=species, breed=row.breed, licence_no=row.licence_no,
                   vaccinated_on=row.vaccinated_on,
                   vaccination_due=due_on(species, row.vaccinated_on, today or beijing_today()))


def _readable(info: Info, row: Row | None) -> bool:
    """node(id) shows a record only to those who may read its project's archive."""
    return row is not None and info.context.require().can(Permission.ARCHIVE_READ, row.project_id)


async def parking_space_node(info: Info, space_id: UUID) -> ParkingSpace | None:
    row = await info.context.loaders.parking_space_by_id.load(space_id)
    return ParkingSpace.from_row(row) if _readable(info, row) else None


async def vehicle_node(info: Info, vehicle_id: UUID) -> Vehicle | None:
    row = await info.context.loaders.vehicle_by_id.load(vehicle_id)
    return Vehicle.from_row(row) if _readable(info, row) else None


async def pet_node(info: Info, pet_id: UUID) -> Pet | None:
    row = await info.context.loaders.pet_by_id.load(pet_id)
    return Pet.from_row(row) if _readable(info, row) else None


async def load_parking_space(info: Info, space_id: UUID) -> ParkingSpace | None:
    """For a payload: the record its caller just wrote (archive:manage), as it now is."""
    row = await info.context.loaders.parking_space_by_id.load(space_id)
    return ParkingSpace.from_row(row) if row else None


async def load_vehicle(info: Info, vehicle_id: UUID) -> Vehicle | None:
    row = await info.context.loaders.vehicle_by_id.load(vehicle_id)
    return Vehicle.from_row(row) if row else None


async def load_pet(info: Info, pet_id: UUID) -> Pet | None:
    row = await info.context.loaders.pet_by_id.load(pet_id)
    return Pet.from_row(row) if row else None


async def _archive_project(info: Info, project_id: strawberry.ID) -> UUID:
    project = await required_project_in_reach(info, project_id)
    archive_reader(info, project)
    return project


async def parking_space_connection(info: Info, project_id: strawberry.ID, area: str | None, vacant: bool | None,
                                   first: int | None, after: str | None) -> Connection[ParkingSpace]:
    project = await _archive_project(info, project_id)
    limit = page_size(first)
    rows = await reads.space_page(info.context.db, project, area, vacant, after_id(after), limit + 1)
    return connection(rows, limit, ParkingSpace.from_row)


async def vehicle_connection(info: Info, project_id: strawberry.ID, plate: str | None, resident_id: strawberry.ID | None,
                             first: int | None, after: str | None) -> Connection[Vehicle]:
    project = await _archive_project(info, project_id)
    limit = page_size(first)
    resident = from_global_id(resident_id, "Resident", "residentId") if resident_id else None
    rows = await reads.vehicle_page(info.context.db, project, plate_fragment(plate) if plate else None, resident,
                                    after_id(after), limit + 1)
    return connection(rows, limit, Vehicle.from_row)


async def pet_connection(info: Info, project_id: strawberry.ID, species: PetSpecies | None, due: bool | None,
                         first: int | None, after: str | None) -> Connection[Pet]:
    project = await _archive_project(info, project_id)
    limit = page_size(first)
    today = beijing_today()
    terms = reads.PetFilter(species=species.value if species else None, vaccination_due=due,
                            cutoff=vaccination_cutoff(today))
    rows = await reads.pet_page(info.context.db, project, terms, after_id(after), limit + 1)
    return connection(rows, limit, lambda r: Pet.from_row(r, today))
