from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import ResidentPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive import OccupantRoleType
from api.graphql.types.node import from_global_id
from api.graphql.types.resident import IdKindType, ResidentKindType, load_resident
from domain.archive import service
from domain.archive.commands import RegisterResident
from domain.archive.kinds import IdKind, OccupantRole, ResidentKind
from tenants.roles import Permission


@strawberry.input(description="The person and, with unitId, their first stay (入住).")
class RegisterResidentInput:
    project_id: strawberry.ID
    name: str
    kind: ResidentKindType = ResidentKind.PERSON
    phone: str | None = strawberry.field(default=None, description="Stored encrypted; shown masked (138****1234).")
    id_kind: IdKindType | None = strawberry.field(default=None, description="居民身份证 when an ID number is given without it.")
    id_number: str | None = strawberry.field(default=None, description="Stored encrypted; shown masked.")
    note: str = ""
    unit_id: strawberry.ID | None = None
    role: OccupantRoleType = OccupantRole.OWNER
    moved_in_on: date | None = None
    primary_contact: bool = False


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="登记住户 Register a resident of a project, with their flat when given.")
@user_errors(ResidentPayload)
async def register_resident(info: Info, input: RegisterResidentInput, idempotency_key: IdempotencyKey = None) -> ResidentPayload:
    cmd = RegisterResident(
        project_id=from_global_id(input.project_id, "Project", "projectId"), name=input.name, kind=ResidentKind(input.kind),
        phone=input.phone, id_kind=IdKind(input.id_kind) if input.id_kind else None, id_number=input.id_number,
        note=input.note, unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None,
        role=OccupantRole(input.role), moved_in_on=input.moved_in_on, primary_contact=input.primary_contact,
        idempotency_key=idempotency_key)
    resident_id = await service.register_resident(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return ResidentPayload(resident=await load_resident(info, resident_id))
