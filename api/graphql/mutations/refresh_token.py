from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations.login import AuthPayload
from api.graphql.permissions import Public
from tenants.auth import sessions


@strawberry.mutation(permission_classes=[Public], description="Trade a refresh token for new tokens; the old one stops working.")
@user_errors(AuthPayload)
async def refresh_token(info: Info, refresh_token: str) -> AuthPayload:
    return AuthPayload.of(await sessions.refresh(info.context.platform, refresh_token[:512]))
