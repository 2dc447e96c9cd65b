from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._handover import ShiftLogEntryPayload, entry_payload, parse_log_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.handover import LogEntryKind
from api.graphql.types.node import from_global_id
from domain.handover import service
from domain.handover.commands import AddLogEntry
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HANDOVER_WRITE)],
                     description="记事 / 遗留事项 Write a note or an open item (up to 2,000 characters, optionally about a case "
                                 "of the project) in an open shift log whose handover you have signed for.")
@user_errors(ShiftLogEntryPayload)
async def add_log_entry(info: Info, log_id: strawberry.ID, kind: LogEntryKind, text: str, case_id: strawberry.ID | None = None,
                        idempotency_key: IdempotencyKey = None) -> ShiftLogEntryPayload:
    cmd = AddLogEntry(log_id=parse_log_id(log_id), kind=kind.value, text=text,
                      case_id=from_global_id(case_id, "Case", "caseId") if case_id else None, idempotency_key=idempotency_key)
    return await entry_payload(info, await service.add_log_entry(cmd, unit_of_work(info)))
