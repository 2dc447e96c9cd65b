from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.directory import service
from domain.directory.commands import RevokeRole
from tenants.roles import Permission


@strawberry.type
class RevokeRolePayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ROLE_ASSIGN)], description="收回角色 Take a role back.")
@user_errors(RevokeRolePayload, ok=False)
async def revoke_role(info: Info, assignment_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> RevokeRolePayload:
    cmd = RevokeRole(assignment_id=from_global_id(assignment_id, "RoleAssignment", "assignmentId"), idempotency_key=idempotency_key)
    await service.revoke_role(cmd, unit_of_work(info))
    return RevokeRolePayload(ok=True)
