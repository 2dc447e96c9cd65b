from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.permissions import Public
from api.graphql.types.errors import UserError
from tenants.auth import sessions


@strawberry.type
class LogoutPayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Public], description="End the session of this refresh token.")
@user_errors(LogoutPayload, ok=False)
async def logout(info: Info, refresh_token: str) -> LogoutPayload:
    await sessions.logout(info.context.platform, refresh_token[:512])
    return LogoutPayload(ok=True)
