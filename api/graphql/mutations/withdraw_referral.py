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
from domain.referrals.commands import WithdrawReferral
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)], description=(
    "撤回转办 Take the case back from the body: it is ours again (committed), its clocks run on, reminders stop."))
@user_errors(ReferralPayload)
async def withdraw_referral(info: Info, referral_id: strawberry.ID, reason: str,
                            idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    cmd = WithdrawReferral(referral_id=from_global_id(referral_id, "Referral", "referralId"), reason=reason,
                           actor_id=info.context.require().id, idempotency_key=idempotency_key)
    return await referral_payload(info, await service.withdraw_referral(cmd, unit_of_work(info)))
