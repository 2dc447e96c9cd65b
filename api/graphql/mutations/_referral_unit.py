"""What the referral mutations share: their payload, the referral returned as it now is."""

from __future__ import annotations

import contextlib
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.referral import Referral, referral


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
