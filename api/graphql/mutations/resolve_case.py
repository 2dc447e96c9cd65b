from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_WORK)], description="完工 The handler reports the result.")
@user_errors(CasePayload)
async def resolve_case(
    info: Info, case_id: strawberry.ID, result: str, photos: list[str] | None = None,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    pictures = tuple(photos or ())
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_WORK, operation="resolveCase", idempotency_key=idempotency_key,
        payload={"result": result, "photos": list(pictures)},
        command=lambda case, actor, now: case.resolve(result, actor=actor, now=now, photos=pictures[:20]),
    )
