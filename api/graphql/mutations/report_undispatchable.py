from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="无法派单 Nobody can be sent: the case stays open and escalates.")
@user_errors(CasePayload)
async def report_undispatchable(
    info: Info, case_id: strawberry.ID, reason: str,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_DISPATCH, operation="reportUndispatchable", idempotency_key=idempotency_key,
        payload={"reason": reason}, command=lambda case, actor, now: case.report_undispatchable(reason, actor=actor, now=now),
    )
