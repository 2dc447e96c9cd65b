from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._resident_case import ResidentCasePayload, resident_case_payload, resident_changing
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases.commands import RejectCase
from domain.residents import case_service
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.RESIDENT_SELF)],
                     description="不满意 The resident says it is not done; the case reopens.")
@user_errors(ResidentCasePayload)
async def resident_reject_case(
    info: Info, case_id: strawberry.ID, reason: str,
    idempotency_key: IdempotencyKey = None,
) -> ResidentCasePayload:
    cmd = RejectCase(**resident_changing(info, case_id, idempotency_key), reason=reason)
    return await resident_case_payload(info, await case_service.reject_case(cmd, unit_of_work(info)))
