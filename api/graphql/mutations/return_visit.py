from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from api.graphql.types.case import SatisfactionType
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_FOLLOW_UP)],
                     description="回访 By someone other than the handler. Dissatisfied: rework at L2, then L3.")
@user_errors(CasePayload)
async def return_visit(
    info: Info, case_id: strawberry.ID, satisfaction: SatisfactionType, score: int, comment: str = "",
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_FOLLOW_UP, operation="returnVisit", idempotency_key=idempotency_key,
        payload={"satisfaction": satisfaction.value, "score": score, "comment": comment},
        command=lambda case, actor, now: case.return_visit(satisfaction, score, comment, visitor=actor, now=now),
    )
