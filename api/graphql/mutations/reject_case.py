from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_FOLLOW_UP)],
                     description="业主不认可 The resident rejects the result: the case reopens.")
@user_errors(CasePayload)
async def reject_case(
    info: Info, case_id: strawberry.ID, reason: str,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_FOLLOW_UP, operation="rejectCase", idempotency_key=idempotency_key,
        payload={"reason": reason}, command=lambda case, actor, now: case.reject(reason, now=now, actor=actor),
    )
