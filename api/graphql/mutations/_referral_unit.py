"""The shape the referral mutations share: the referral locked, the permission checked on its
project, the change made — once per idempotency key — and the referral returned as it now is."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import strawberry
from sqlalchemy import Row

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.referral import Referral, referral
from domain.cases.model import Actor
from domain.referrals import repository
from domain.referrals.repository import Who
from tenants.roles import Permission

Change = Callable[[Any, Row, Who, datetime], Awaitable[None]]


@strawberry.type
class ReferralPayload:
    referral: Referral | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def referral_payload(info: Info, referral_id: UUID) -> ReferralPayload:
    found = await referral(info, referral_id)
    if found is not None:
        with contextlib.suppress(KeyError):  # its case changed in this request: not the copy read before
            info.context.loaders.case_by_id.clear(found.case_uuid)
    return ReferralPayload(referral=found)


@user_errors(ReferralPayload)
async def change_referral(info: Info, *, referral_id: strawberry.ID, operation: str, idempotency_key: str | None,
                          payload: dict[str, Any], change: Change) -> ReferralPayload:
    rid = from_global_id(referral_id, "Referral", "referralId")
    p = info.context.require()

    async def work(conn) -> dict:
        r = await repository.referral_for_update(conn, rid)
        require_on(info, Permission.CASE_REFER, r.project_id)
        await change(conn, r, Who("staff", p.actor, Actor(p.id)), datetime.now(UTC))
        return {"referral_id": str(rid)}

    await write(info, lambda conn: once(info, conn, idempotency_key, operation, {"referralId": referral_id, **payload}, work))
    return await referral_payload(info, rid)
