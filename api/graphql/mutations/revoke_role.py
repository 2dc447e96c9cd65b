from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from tenants import directory
from tenants.roles import Permission


@strawberry.type
class RevokeRolePayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ROLE_ASSIGN)], description="收回角色 Take a role back.")
@user_errors(RevokeRolePayload, ok=False)
async def revoke_role(info: Info, assignment_id: strawberry.ID) -> RevokeRolePayload:
    require_on(info, Permission.ROLE_ASSIGN)
    aid = from_global_id(assignment_id, "RoleAssignment", "assignmentId")
    p = info.context.principal
    await write(info, lambda conn: directory.revoke_role(conn, org_id=p.org_id, actor=p.actor, assignment_id=aid))
    return RevokeRolePayload(ok=True)
