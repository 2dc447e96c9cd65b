from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._referral_unit import ReferralPayload, change_referral
from api.graphql.permissions import Requires
from domain.errors import DomainError, ErrorCode
from domain.referrals import repository
from tenants.roles import Permission

_PRINTED = text("UPDATE deliveries SET status = 'printed', sent_at = now() "
                "WHERE purpose = 'referral' AND ref_id = :r AND kind = 'letter' AND status = 'pending' RETURNING id")


async def _printed(conn, r, who, now) -> None:
    if not (await conn.execute(_PRINTED, {"r": r.id})).all():
        raise DomainError(ErrorCode.INVALID_STATE, "This referral has no letter waiting to be printed.", "referralId")
    await repository.note(conn, r, "printed", who, now)


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)],
                     description="已打印 Record that the referral's letters (and reminders) waiting on paper were printed.")
async def mark_referral_letter_printed(info: Info, referral_id: strawberry.ID,
                                       idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    return await change_referral(info, referral_id=referral_id, operation="markReferralLetterPrinted",
                                 idempotency_key=idempotency_key, payload={}, change=_printed)
