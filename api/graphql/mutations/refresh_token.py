from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations.login import AuthPayload
from api.graphql.permissions import Public
from api.graphql.types.errors import UserError
from tenants.auth import sessions
from tenants.auth.errors import AuthError


@strawberry.mutation(permission_classes=[Public], description="Trade a refresh token for new tokens; the old one stops working.")
async def refresh_token(info: Info, refresh_token: str) -> AuthPayload:
    try:
        return AuthPayload.of(await sessions.refresh(info.context.platform, refresh_token[:512]))
    except AuthError as e:
        return AuthPayload(errors=[UserError.of(e)])
