from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._referral_unit import ReferralPayload, change_referral
from api.graphql.permissions import Requires
from domain.referrals import repository
from domain.referrals.model import Feedback
from tenants.roles import Permission


@strawberry.enum(name="ReferralFeedback", description="What the body said: 签收 acknowledged, or 答复 answered with an outcome.")
class ReferralFeedbackType(Enum):
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_REFER)], description=(
    "录入反馈 Enter what the body said (by phone, on paper): acknowledged, or answered with its outcome — "
    "which resolves the case and is shown to the resident to confirm."))
async def record_referral_feedback(info: Info, referral_id: strawberry.ID, feedback: ReferralFeedbackType,
                                   note: str | None = None, idempotency_key: IdempotencyKey = None) -> ReferralPayload:
    kind = Feedback(feedback.value)
    return await change_referral(
        info, referral_id=referral_id, operation="recordReferralFeedback", idempotency_key=idempotency_key,
        payload={"feedback": kind.value, "note": note},
        change=lambda conn, r, who, now: repository.feedback(conn, r, kind, note, who, now))
