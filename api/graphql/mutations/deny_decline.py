from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import DenyDecline
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_SUPERVISE)],
                     description="驳回婉拒 A supervisor sends the case back to be done.")
@user_errors(CasePayload)
async def deny_decline(
    info: Info, case_id: strawberry.ID, note: str,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = DenyDecline(**changing(info, case_id, idempotency_key), note=note)
    return await case_payload(info, await service.deny_decline(cmd, unit_of_work(info)))
