from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._improvement import ImprovementActionPayload, action_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.improvement import ActionSource
from api.graphql.types.node import from_global_id, parse_global_id
from domain.improvements import service
from domain.improvements.commands import RaiseAction
from tenants.roles import Permission

_SOURCE_TYPES = {"case_review": "CaseReview", "alert": "Alert", "inspection": "Inspection", "hazard": "Hazard"}


@strawberry.input(description="整改措施 What must be put right, from what, by whom, by when.")
class RaiseImprovementActionInput:
    project_id: strawberry.ID
    source: ActionSource
    source_id: strawberry.ID | None = strawberry.field(default=None, description="The CaseReview, Alert, Inspection or Hazard it "
                                                                                 "comes from; null for OTHER.")
    title: str = strawberry.field(description="1–100 characters")
    description: str = strawberry.field(default="", description="Up to 2,000 characters.")
    owner_id: strawberry.ID = strawberry.field(description="责任人 A user with a role in the project.")
    due_on: date = strawberry.field(description="完成期限 A Beijing day, today or later (at most a year ahead).")


@strawberry.mutation(permission_classes=[Requires(Permission.IMPROVEMENT_RAISE)],
                     description="提出整改措施 Raise a corrective action; overdue, it climbs the ladder like a late case.")
@user_errors(ImprovementActionPayload)
async def raise_improvement_action(info: Info, input: RaiseImprovementActionInput,
                                   idempotency_key: IdempotencyKey = None) -> ImprovementActionPayload:
    source = input.source.value
    kind = _SOURCE_TYPES.get(source)
    source_id = None
    if input.source_id:  # a SWEEP or OTHER with a record named is refused by the service, by its rule
        source_id = from_global_id(input.source_id, kind, "sourceId") if kind else parse_global_id(input.source_id, "sourceId")[1]
    cmd = RaiseAction(project_id=from_global_id(input.project_id, "Project", "projectId"), source=source, source_id=source_id,
                      title=input.title, description=input.description,
                      owner_user_id=from_global_id(input.owner_id, "User", "ownerId"), due_on=input.due_on,
                      idempotency_key=idempotency_key)
    return await action_payload(info, await service.raise_action(cmd, unit_of_work(info)))
