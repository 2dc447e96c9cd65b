from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import MissPromise
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="致歉与补救 A commitment will be missed: apology, reason, remedy and a new deadline.")
@user_errors(CasePayload)
async def miss_promise(
    info: Info, case_id: strawberry.ID, apology: str, reason: str, remedy: str, new_due: datetime,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = MissPromise(**changing(info, case_id, idempotency_key), apology=apology, reason=reason, remedy=remedy, new_due=new_due)
    return await case_payload(info, await service.miss_promise(cmd, unit_of_work(info)))
