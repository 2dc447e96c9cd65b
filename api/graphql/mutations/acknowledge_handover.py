from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._handover import ShiftLogPayload, log_payload, parse_log_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.handover import service
from domain.handover.commands import AcknowledgeHandover
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HANDOVER_WRITE)],
                     description="签收 Sign, by name, for the handover a shift log took over; until then you cannot write "
                                 "in it. Signing twice changes nothing.")
@user_errors(ShiftLogPayload)
async def acknowledge_handover(info: Info, log_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> ShiftLogPayload:
    cmd = AcknowledgeHandover(log_id=parse_log_id(log_id), idempotency_key=idempotency_key)
    return await log_payload(info, await service.acknowledge_handover(cmd, unit_of_work(info)))
