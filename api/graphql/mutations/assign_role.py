from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id, to_global_id
from api.graphql.types.viewer import Role
from domain.directory import service
from domain.directory.commands import AssignRole
from tenants.roles import Permission


@strawberry.input
class AssignRoleInput:
    user_id: strawberry.ID
    role: Role
    project_id: strawberry.ID | None = strawberry.field(default=None, description="Required for project roles.")


@strawberry.type
class AssignRolePayload:
    assignment_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(
    permission_classes=[Requires(Permission.ROLE_ASSIGN)],
    description="授予角色 Give a user a role. Takes effect at the user's next token refresh.",
)
@user_errors(AssignRolePayload)
async def assign_role(info: Info, input: AssignRoleInput, idempotency_key: IdempotencyKey = None) -> AssignRolePayload:
    user_id = from_global_id(input.user_id, "User", "userId")
    project_id = from_global_id(input.project_id, "Project", "projectId") if input.project_id else None
    cmd = AssignRole(user_id=user_id, role=input.role, project_id=project_id, idempotency_key=idempotency_key)
    assignment_id = await service.assign_role(cmd, unit_of_work(info))
    return AssignRolePayload(assignment_id=to_global_id("RoleAssignment", assignment_id))
