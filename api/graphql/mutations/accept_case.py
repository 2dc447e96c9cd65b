from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import AcceptCase
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_WORK)],
                     description="接单 Accept a dispatched case (the assignee, or anyone of the department).")
@user_errors(CasePayload)
async def accept_case(
    info: Info, case_id: strawberry.ID,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = AcceptCase(**changing(info, case_id, idempotency_key))
    return await case_payload(info, await service.accept_case(cmd, unit_of_work(info)))
