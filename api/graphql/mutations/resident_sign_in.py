"""住户登录 The exchange: an integrator's key for a resident's short tokens (docs/owner-app.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.resident_self import ResidentProfile, ResidentUnit
from domain.residents import reads, signin
from tenants.roles import Permission


@strawberry.enum(name="ResidentChannel", description="What a case registered with the token is recorded as.")
class ResidentChannelType(Enum):
    APP = "app"
    WECHAT = "wechat"


@strawberry.input
class ResidentSignInInput:
    phone: str | None = strawberry.field(default=None, description="The phone the integrator has verified (SMS code, WeChat).")
    wechat_app_id: str | None = strawberry.field(default=None, description="The public WeChat appid the openid belongs to.")
    openid: str | None = strawberry.field(default=None, description="With a phone: bound to each matched resident; alone: "
                                                                     "finds the residents bound before.")
    unionid: str | None = None
    project_id: strawberry.ID | None = strawberry.field(default=None, description="Only this project's residents.")
    channel: ResidentChannelType = ResidentChannelType.APP


@strawberry.type(description="One resident the person may act as (a person with flats in two projects has two).")
class ResidentSession:
    token: str = strawberry.field(description="Send as 'Authorization: Bearer <token>'; never stored, not refreshable.")
    expires_at: datetime
    resident: ResidentProfile
    units: list[ResidentUnit]


@strawberry.type
class ResidentSignInPayload:
    sessions: list[ResidentSession] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.RESIDENT_SIGN_IN)],
                     description="住户登录 (API keys granted resident:sign_in) The integrator vouches for who the person is and "
                                 "gets a short resident token per matched resident, at most 10. Exchange again when it expires.")
@user_errors(ResidentSignInPayload)
async def resident_sign_in(info: Info, input: ResidentSignInInput) -> ResidentSignInPayload:
    p = info.context.require()
    cmd = signin.SignIn(phone=input.phone, wechat_app_id=input.wechat_app_id, openid=input.openid, unionid=input.unionid,
                        project_id=from_global_id(input.project_id, "Project", "projectId") if input.project_id else None,
                        channel=input.channel.value)
    platform = info.context.platform
    signed = await signin.sign_in(cmd, unit_of_work(info), key_id=p.id if p.kind == "api_key" else None,
                                  cipher=platform.cipher)
    sessions = []
    for s in signed:
        profile = await reads.profile(info.context.db, s.resident_id)
        if profile is None:
            continue
        token, exp = platform.signer.issue_resident(s.resident_id, p.org_id, s.project_id, p.id, cmd.channel)
        units = [ResidentUnit.from_row(r) for r in await reads.units(info.context.db, s.resident_id)]
        sessions.append(ResidentSession(token=token, expires_at=datetime.fromtimestamp(exp, UTC),
                                        resident=ResidentProfile.from_row(profile), units=units))
    return ResidentSignInPayload(sessions=sessions)
