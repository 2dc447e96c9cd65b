from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_SUPERVISE)],
                     description="驳回婉拒 A supervisor sends the case back to be done.")
@user_errors(CasePayload)
async def deny_decline(
    info: Info, case_id: strawberry.ID, note: str,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_SUPERVISE, operation="denyDecline", idempotency_key=idempotency_key,
        payload={"note": note}, command=lambda case, actor, now: case.deny_decline(note, actor=actor, now=now),
    )
