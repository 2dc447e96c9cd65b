from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import CancelCase
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="撤销 Withdrawn by the resident, or cancelled by a supervisor.")
@user_errors(CasePayload)
async def cancel_case(
    info: Info, case_id: strawberry.ID, reason: str, by_resident: bool = False,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = CancelCase(**changing(info, case_id, idempotency_key), reason=reason, by_resident=by_resident)
    return await case_payload(info, await service.cancel_case(cmd, unit_of_work(info)))
