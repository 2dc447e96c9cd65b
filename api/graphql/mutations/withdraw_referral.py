from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._referral_unit import ReferralPayload, change_referral
from api.graphql.permissions import Requires
from domain.referrals import repository
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)], description=(
    "撤回转办 Take the case back from the body: it is ours again (committed), its clocks run on, reminders stop."))
async def withdraw_referral(info: Info, referral_id: strawberry.ID, reason: str,
                            idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    return await change_referral(
        info, referral_id=referral_id, operation="withdrawReferral", idempotency_key=idempotency_key,
        payload={"reason": reason}, change=lambda conn, r, who, now: repository.withdraw(conn, r, reason, who, now))
