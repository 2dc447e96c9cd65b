from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import DomainError
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="重复诉求 The same demand without new facts: link it to the earlier case.")
async def link_repeat_case(
    info: Info, case_id: strawberry.ID, earlier_case_id: strawberry.ID,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    try:
        earlier = from_global_id(earlier_case_id, "Case", "earlierCaseId")
    except DomainError as e:
        return CasePayload(errors=[UserError.of(e)])
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_DISPATCH, operation="linkRepeatCase", idempotency_key=idempotency_key,
        payload={"earlierCaseId": earlier_case_id},
        command=lambda case, actor, now: case.link_repeat(earlier, actor=actor, now=now),
    )
