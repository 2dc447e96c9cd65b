from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._referral_unit import ReferralPayload, referral_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.referrals import service
from domain.referrals.commands import MarkReferralLetterPrinted
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)],
                     description="已打印 Record that the referral's letters (and reminders) waiting on paper were printed.")
@user_errors(ReferralPayload)
async def mark_referral_letter_printed(info: Info, referral_id: strawberry.ID,
                                       idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    cmd = MarkReferralLetterPrinted(referral_id=from_global_id(referral_id, "Referral", "referralId"),
                                    idempotency_key=idempotency_key)
    return await referral_payload(info, await service.mark_referral_letter_printed(cmd, unit_of_work(info)))
