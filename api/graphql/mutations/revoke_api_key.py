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
from domain.directory.commands import RevokeApiKey
from tenants.roles import Permission


@strawberry.type
class RevokeApiKeyPayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.API_KEY_MANAGE)], description="Revoke an API key at once.")
@user_errors(RevokeApiKeyPayload, ok=False)
async def revoke_api_key(info: Info, id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> RevokeApiKeyPayload:
    cmd = RevokeApiKey(key_id=from_global_id(id, "ApiKey"), idempotency_key=idempotency_key)
    await service.revoke_api_key(cmd, unit_of_work(info))
    return RevokeApiKeyPayload(ok=True)
