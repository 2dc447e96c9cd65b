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
from domain.referrals.commands import ReferCase
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)], description=(
    "转办 Refer a committed case to an outside body of its project: the case waits on the body (its clocks pause), "
    "the body gets the referral (signed webhook, e-mail, or a letter to print) and has its own deadline."))
@user_errors(ReferralPayload)
async def refer_case(info: Info, case_id: strawberry.ID, body_id: strawberry.ID, reason: str, requested_action: str,
                     idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    cmd = ReferCase(case_id=from_global_id(case_id, "Case", "caseId"), body_id=from_global_id(body_id, "OutsideBody", "bodyId"),
                    reason=reason, requested_action=requested_action, actor_id=info.context.require().id,
                    request={"caseId": case_id, "bodyId": body_id, "reason": reason, "requestedAction": requested_action},
                    idempotency_key=idempotency_key)
    return await referral_payload(info, await service.refer_case(cmd, unit_of_work(info)))
