from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="撤销 Withdrawn by the resident, or cancelled by a supervisor.")
@user_errors(CasePayload)
async def cancel_case(
    info: Info, case_id: strawberry.ID, reason: str, by_resident: bool = False,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_DISPATCH, operation="cancelCase", idempotency_key=idempotency_key,
        payload={"reason": reason, "by_resident": by_resident},
        command=lambda case, actor, now: case.cancel(reason, actor=actor, now=now, by_resident=by_resident),
    )
