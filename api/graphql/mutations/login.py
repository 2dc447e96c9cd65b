from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from api.client_address import UNKNOWN, request_address
from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.permissions import Public
from api.graphql.types.errors import UserError
from tenants.auth import sessions
from tenants.auth.errors import unauthenticated


@strawberry.input
class LoginInput:
    organization: str = strawberry.field(description="The company's slug, e.g. demo")
    username: str
    password: str


@strawberry.type(description="Tokens of a session: a short-lived access token and a refresh token.")
class AuthPayload:
    access_token: str | None = None
    access_token_expires_at: datetime | None = None
    refresh_token: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)

    @classmethod
    def of(cls, session: sessions.Session) -> AuthPayload:
        return cls(
            access_token=session.access_token,
            access_token_expires_at=datetime.fromtimestamp(session.access_expires_at, UTC),
            refresh_token=session.refresh_token,
        )


def _too_long(*values: str) -> bool:
    return any(len(v) > 512 for v in values)


@strawberry.mutation(permission_classes=[Public], description="登录 Log in with company, username and password.")
@user_errors(AuthPayload)
async def login(info: Info, input: LoginInput) -> AuthPayload:
    if _too_long(input.organization, input.username, input.password):
        raise unauthenticated(sessions.BAD_LOGIN)
    context = info.context
    address = request_address(context.request, context.platform.settings) if context.request else UNKNOWN
    return AuthPayload.of(await sessions.login(context.platform, input.organization, input.username, input.password, address))
