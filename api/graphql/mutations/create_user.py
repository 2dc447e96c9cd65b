from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.viewer import User
from domain.directory import service
from domain.directory.commands import CreateUser
from tenants.roles import Permission


@strawberry.input
class CreateUserInput:
    username: str
    display_name: str
    password: str
    staff_id: strawberry.ID | None = None


@strawberry.type
class CreateUserPayload:
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.USER_MANAGE)], description="新增账号 Create a login.")
@user_errors(CreateUserPayload)
async def create_user(info: Info, input: CreateUserInput, idempotency_key: IdempotencyKey = None) -> CreateUserPayload:
    staff_id = from_global_id(input.staff_id, "Staff", "staffId") if input.staff_id else None
    cmd = CreateUser(username=input.username, display_name=input.display_name, password=input.password, staff_id=staff_id,
                     idempotency_key=idempotency_key)
    user_id = await service.create_user(cmd, unit_of_work(info))
    row = await info.context.loaders.user_by_id.load(user_id)
    return CreateUserPayload(user=User.from_row(row))
