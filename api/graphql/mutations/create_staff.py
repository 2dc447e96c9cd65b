from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id, to_global_id
from domain.directory import service
from domain.directory.commands import CreateStaff
from tenants.roles import Permission


@strawberry.input
class CreateStaffInput:
    name: str
    project_id: strawberry.ID | None = strawberry.field(default=None, description="Null: headquarters staff.")
    department_id: strawberry.ID | None = None
    title: str = ""
    phone: str | None = None


@strawberry.type
class CreateStaffPayload:
    staff_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.STAFF_MANAGE)], description="新增员工 Add a staff member.")
@user_errors(CreateStaffPayload)
async def create_staff(info: Info, input: CreateStaffInput, idempotency_key: IdempotencyKey = None) -> CreateStaffPayload:
    project_id = from_global_id(input.project_id, "Project", "projectId") if input.project_id else None
    department_id = from_global_id(input.department_id, "Department", "departmentId") if input.department_id else None
    cmd = CreateStaff(name=input.name, project_id=project_id, department_id=department_id, title=input.title,
                      phone=input.phone, idempotency_key=idempotency_key)
    staff_id = await service.create_staff(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return CreateStaffPayload(staff_id=to_global_id("Staff", staff_id))
