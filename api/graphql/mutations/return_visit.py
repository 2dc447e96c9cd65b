from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.case import SatisfactionType
from domain.cases import service
from domain.cases.commands import ReturnVisit
from domain.cases.states import Satisfaction
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_FOLLOW_UP)],
                     description="回访 By someone other than the handler. Dissatisfied: rework at L2, then L3.")
@user_errors(CasePayload)
async def return_visit(
    info: Info, case_id: strawberry.ID, satisfaction: SatisfactionType, score: int, comment: str = "",
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = ReturnVisit(**changing(info, case_id, idempotency_key),
                     satisfaction=Satisfaction(satisfaction.value), score=score, comment=comment)
    return await case_payload(info, await service.return_visit(cmd, unit_of_work(info)))
