from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import ReportUndispatchable
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="无法派单 Nobody can be sent: the case stays open and escalates.")
@user_errors(CasePayload)
async def report_undispatchable(
    info: Info, case_id: strawberry.ID, reason: str,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = ReportUndispatchable(**changing(info, case_id, idempotency_key), reason=reason)
    return await case_payload(info, await service.report_undispatchable(cmd, unit_of_work(info)))
