from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.decision_feedback import DecisionFeedbackItem, decision_feedback_item
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.feedback import model
from domain.feedback.repository import report
from domain.sla.calendar import CHINA
from tenants.roles import Permission


@strawberry.input(description="决策反馈 A recurring problem to report: one candidate of decisionFeedbackCandidates.")
class ReportDecisionFeedbackInput:
    project_id: strawberry.ID
    month: date = strawberry.field(description="Any day of the Beijing month the cases were received in.")
    category_code: str = strawberry.field(description="The case category, e.g. noise.")
    body_id: strawberry.ID | None = strawberry.field(default=None, description="The outside body; null for declined cases "
                                                                                   "with no body named.")
    title: str = strawberry.field(description="1–200 characters")
    summary: str = strawberry.field(description="What is reported and asked of the department: 1–2,000 characters.")
    attachments: list[str] = strawberry.field(default_factory=list, description="Up to 20 file ids or links.")


@strawberry.type
class DecisionFeedbackPayload:
    item: DecisionFeedbackItem | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.DECISION_FEEDBACK_MANAGE)],
                     description=f"上报决策反馈 Report a recurring out-of-remit problem (at least {model.DEFAULT_MIN_CASES} cases "
                                 "of one category and body in a month), linking every case it stands for; once per month.")
@user_errors(DecisionFeedbackPayload)
async def report_decision_feedback(info: Info, input: ReportDecisionFeedbackInput,
                                   idempotency_key: IdempotencyKey = None) -> DecisionFeedbackPayload:
    project_id = from_global_id(input.project_id, "Project", "projectId")
    require_on(info, Permission.DECISION_FEEDBACK_MANAGE, project_id)
    p = info.context.require()
    body_id = from_global_id(input.body_id, "OutsideBody", "bodyId") if input.body_id else None
    now = datetime.now(UTC)
    period = model.period_of(input.month, now.astimezone(CHINA).date())
    title, summary = model.title(input.title), model.evidence(input.summary, "summary")
    attachments = model.attachments(input.attachments)
    code = input.category_code.strip()

    async def work(conn) -> dict:
        item_id = await report(conn, org_id=p.org_id, project_id=project_id, period=period, category_code=code, body_id=body_id,
                               title=title, summary=summary, attachments=attachments, actor=p.actor, now=now)
        return {"id": str(item_id)}

    payload = {"projectId": input.project_id, "period": period.isoformat(), "categoryCode": code, "bodyId": input.body_id,
               "title": title, "summary": summary, "attachments": list(attachments)}
    result = await write(info, lambda conn: once(info, conn, idempotency_key, "reportDecisionFeedback", payload, work))
    return DecisionFeedbackPayload(item=await decision_feedback_item(info, UUID(result["id"])))
