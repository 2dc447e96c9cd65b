from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._resident_case import ResidentCasePayload, resident_case_payload, resident_changing
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.case import SatisfactionType
from domain.cases.commands import ReturnVisit
from domain.cases.states import Satisfaction
from domain.residents import case_service
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.RESIDENT_SELF)],
                     description="评价 The resident rates the confirmed result: the case's return visit (score 1–5). Dissatisfied "
                                 "reopens it for rework, a level up. FORBIDDEN (RESIDENT_RATING_OFF) where the project "
                                 "has customer service call back instead.")
@user_errors(ResidentCasePayload)
async def resident_rate_case(
    info: Info, case_id: strawberry.ID, satisfaction: SatisfactionType, score: int, comment: str = "",
    idempotency_key: IdempotencyKey = None,
) -> ResidentCasePayload:
    cmd = ReturnVisit(**resident_changing(info, case_id, idempotency_key), satisfaction=Satisfaction(satisfaction.value),
                      score=score, comment=comment)
    return await resident_case_payload(info, await case_service.rate_case(cmd, unit_of_work(info)))
