from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from tenants.auth import api_keys
from tenants.roles import Permission


@strawberry.type
class RevokeApiKeyPayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.API_KEY_MANAGE)], description="Revoke an API key at once.")
@user_errors(RevokeApiKeyPayload, ok=False)
async def revoke_api_key(info: Info, id: strawberry.ID) -> RevokeApiKeyPayload:
    require_on(info, Permission.API_KEY_MANAGE)
    key_id = from_global_id(id, "ApiKey")
    p = info.context.principal
    await write(info, lambda conn: api_keys.revoke_key(conn, org_id=p.org_id, actor=p.actor, key_id=key_id))
    return RevokeApiKeyPayload(ok=True)
