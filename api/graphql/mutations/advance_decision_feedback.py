from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.mutations.report_decision_feedback import DecisionFeedbackPayload
from api.graphql.permissions import Requires
from api.graphql.types.decision_feedback import DecisionFeedbackStatus, decision_feedback_item
from api.graphql.types.node import from_global_id
from domain.feedback import model
from domain.feedback.model import Status
from domain.feedback.repository import locked_item, record_step
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
    item_id = from_global_id(input.item_id, "DecisionFeedbackItem", "itemId")
    p = info.context.require()
    wanted = Status(input.status.value)
    evidence, attachments = model.evidence(input.evidence), model.attachments(input.attachments)
    now = datetime.now(UTC)

    async def work(conn) -> dict:
        row = await locked_item(conn, item_id)
        require_on(info, Permission.DECISION_FEEDBACK_MANAGE, row.project_id)
        status = model.advance(Status(row.status), wanted)
        await record_step(conn, org_id=p.org_id, item=row, status=status, evidence=evidence, attachments=attachments,
                          actor=p.actor, now=now)
        return {"id": str(item_id)}

    payload = {"itemId": input.item_id, "status": wanted.value, "evidence": evidence, "attachments": list(attachments)}
    result = await write(info, lambda conn: once(info, conn, idempotency_key, "advanceDecisionFeedback", payload, work))
    return DecisionFeedbackPayload(item=await decision_feedback_item(info, UUID(result["id"])))
