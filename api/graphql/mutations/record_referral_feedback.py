from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._referral_unit import ReferralPayload, referral_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.referrals import service
from domain.referrals.commands import RecordReferralFeedback
from domain.referrals.model import Feedback
from tenants.roles import Permission


@strawberry.enum(name="ReferralFeedback", description="What the body said: 签收 acknowledged, or 答复 answered with an outcome.")
class ReferralFeedbackType(Enum):
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)], description=(
    "录入反馈 Enter what the body said (by phone, on paper): acknowledged, or answered with its outcome — "
    "which resolves the case and is shown to the resident to confirm."))
@user_errors(ReferralPayload)
async def record_referral_feedback(info: Info, referral_id: strawberry.ID, feedback: ReferralFeedbackType,
                                   note: str | None = None, idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    cmd = RecordReferralFeedback(referral_id=from_global_id(referral_id, "Referral", "referralId"),
                                 feedback=Feedback(feedback.value), note=note, actor_id=info.context.require().id,
                                 idempotency_key=idempotency_key)
    return await referral_payload(info, await service.record_referral_feedback(cmd, unit_of_work(info)))
