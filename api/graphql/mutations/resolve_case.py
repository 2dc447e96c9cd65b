from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import ResolveCase
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_WORK)], description="完工 The handler reports the result.")
@user_errors(CasePayload)
async def resolve_case(
    info: Info, case_id: strawberry.ID, result: str, photos: list[str] | None = None,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = ResolveCase(**changing(info, case_id, idempotency_key), result=result, photos=tuple(photos or ()))
    return await case_payload(info, await service.resolve_case(cmd, unit_of_work(info)))
