from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.decision_feedback import DecisionFeedbackItem, decision_feedback_item
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.feedback import model, service
from domain.feedback.commands import ReportDecisionFeedback
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
    uow = unit_of_work(info)
    uow.require(Permission.DECISION_FEEDBACK_MANAGE, project_id)  # before the rest is read (the service checks it again)
    cmd = ReportDecisionFeedback(project_id=project_id, month=input.month, category_code=input.category_code,
                                 body_id=from_global_id(input.body_id, "OutsideBody", "bodyId") if input.body_id else None,
                                 title=input.title, summary=input.summary, attachments=tuple(input.attachments),
                                 idempotency_key=idempotency_key)
    item_id = await service.report_decision_feedback(cmd, uow)
    return DecisionFeedbackPayload(item=await decision_feedback_item(info, item_id))
