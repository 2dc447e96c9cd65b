from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._handover import ShiftLogEntryPayload, entry_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.handover import service
from domain.handover.commands import CloseLogItem
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HANDOVER_WRITE)],
                     description="销项 Close an open item of the current shift's log: it is not carried to the next shift.")
@user_errors(ShiftLogEntryPayload)
async def close_log_item(info: Info, entry_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> ShiftLogEntryPayload:
    cmd = CloseLogItem(entry_id=from_global_id(entry_id, "ShiftLogEntry", "entryId"), idempotency_key=idempotency_key)
    return await entry_payload(info, await service.close_log_item(cmd, unit_of_work(info)))
