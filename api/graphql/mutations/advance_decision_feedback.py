from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.report_decision_feedback import DecisionFeedbackPayload
from api.graphql.permissions import Requires
from api.graphql.types.decision_feedback import DecisionFeedbackStatus, decision_feedback_item
from api.graphql.types.node import from_global_id
from domain.feedback import service
from domain.feedback.commands import AdvanceDecisionFeedback
from domain.feedback.model import Status
from tenants.roles import Permission


@strawberry.input(description="The next step of an item and what shows it happened.")
class AdvanceDecisionFeedbackInput:
    item_id: strawberry.ID
    status: DecisionFeedbackStatus = strawberry.field(description="The next status: acknowledged, then corrected, then implemented.")
    evidence: str = strawberry.field(description="1–2,000 characters: the department's reply, what was done, what was checked.")
    attachments: list[str] = strawberry.field(default_factory=list, description="Up to 20 file ids or links.")


@strawberry.mutation(permission_classes=[Requires(Permission.DECISION_FEEDBACK_MANAGE)],
                     description="推进决策反馈 Move an item one step on (已确认 → 已整改 → 已落实) with its evidence.")
@user_errors(DecisionFeedbackPayload)
async def advance_decision_feedback(info: Info, input: AdvanceDecisionFeedbackInput,
                                    idempotency_key: IdempotencyKey = None) -> DecisionFeedbackPayload:
    cmd = AdvanceDecisionFeedback(item_id=from_global_id(input.item_id, "DecisionFeedbackItem", "itemId"),
                                  status=Status(input.status.value), evidence=input.evidence,
                                  attachments=tuple(input.attachments), idempotency_key=idempotency_key)
    item_id = await service.advance_decision_feedback(cmd, unit_of_work(info))
    return DecisionFeedbackPayload(item=await decision_feedback_item(info, item_id))
