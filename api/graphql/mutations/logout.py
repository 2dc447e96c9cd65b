from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.permissions import Public
from api.graphql.types.errors import UserError
from tenants.auth import sessions
from tenants.auth.errors import AuthError


@strawberry.type
class LogoutPayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Public], description="End the session of this refresh token.")
async def logout(info: Info, refresh_token: str) -> LogoutPayload:
    try:
        await sessions.logout(info.context.platform, refresh_token[:512])
        return LogoutPayload(ok=True)
    except AuthError as e:
        return LogoutPayload(ok=False, errors=[UserError.of(e)])
