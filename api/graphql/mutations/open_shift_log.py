from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._handover import ShiftLogPayload, log_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.handover import service
from domain.handover.commands import OpenShiftLog
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HANDOVER_WRITE)],
                     description="接班 Open the shift log of a department (or, without departmentId, of the service centre). "
                                 "It takes over the last handed-over log: its open items are copied in, and each person "
                                 "signs for them (acknowledgeHandover) before writing. A second open log of the same "
                                 "department is CONFLICT (SHIFT_OPEN).")
@user_errors(ShiftLogPayload)
async def open_shift_log(info: Info, project_id: strawberry.ID, shift_start: datetime, shift_end: datetime,
                         department_id: strawberry.ID | None = None, idempotency_key: IdempotencyKey = None) -> ShiftLogPayload:
    cmd = OpenShiftLog(project_id=from_global_id(project_id, "Project", "projectId"),
                       department_id=from_global_id(department_id, "Department", "departmentId") if department_id else None,
                       shift_start=shift_start, shift_end=shift_end, idempotency_key=idempotency_key)
    return await log_payload(info, await service.open_shift_log(cmd, unit_of_work(info)))
