from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_WORK)],
                     description="接单 Accept a dispatched case (the assignee, or anyone of the department).")
@user_errors(CasePayload)
async def accept_case(
    info: Info, case_id: strawberry.ID,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_WORK, operation="acceptCase", idempotency_key=idempotency_key,
        payload={}, command=lambda case, actor, now: case.accept(actor=actor, now=now),
    )
