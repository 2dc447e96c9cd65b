from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._handover import ShiftLogPayload, log_payload, parse_log_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.handover import service
from domain.handover.commands import HandOverShift
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HANDOVER_WRITE)],
                     description="交班 Close the shift log with its summary (up to 5,000 characters); its open items are "
                                 "copied into the next shift's log when that is opened.")
@user_errors(ShiftLogPayload)
async def hand_over_shift(info: Info, log_id: strawberry.ID, summary: str = "",
                          idempotency_key: IdempotencyKey = None) -> ShiftLogPayload:
    cmd = HandOverShift(log_id=parse_log_id(log_id), summary=summary, idempotency_key=idempotency_key)
    return await log_payload(info, await service.hand_over_shift(cmd, unit_of_work(info)))
