from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.roster import DutyShift, ShiftKind
from domain.roster import reads, service
from domain.roster.commands import AddDutyShift
from tenants.roles import Permission


@strawberry.input(description="A shift: one person on duty for one department of a project.")
class DutyShiftInput:
    project_id: strawberry.ID
    department_id: strawberry.ID
    user_id: strawberry.ID
    starts_at: datetime
    ends_at: datetime = strawberry.field(description="At most 24 hours after startsAt.")
    kind: ShiftKind = strawberry.field(default=ShiftKind.DISPATCH, description="RECEPTION: a project manager or CS "
                                                                                "supervisor of the project at the front desk.")


@strawberry.type
class DutyShiftPayload:
    shift: DutyShift | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ROSTER_MANAGE)], description="排班 Put someone on duty.")
@user_errors(DutyShiftPayload)
async def add_duty_shift(info: Info, input: DutyShiftInput, idempotency_key: IdempotencyKey = None) -> DutyShiftPayload:
    project = from_global_id(input.project_id, "Project", "projectId")
    department = from_global_id(input.department_id, "Department", "departmentId")
    user = from_global_id(input.user_id, "User", "userId")
    payload = {"projectId": input.project_id, "departmentId": input.department_id, "userId": input.user_id,
               "startsAt": input.starts_at.isoformat(), "endsAt": input.ends_at.isoformat()}
    if input.kind is not ShiftKind.DISPATCH:  # the key of a dispatch shift remembers the input it always did
        payload["kind"] = input.kind.value
    cmd = AddDutyShift(project_id=project, department_id=department, user_id=user, starts_at=input.starts_at,
                       ends_at=input.ends_at, request=payload, idempotency_key=idempotency_key, kind=input.kind.value)
    row = await reads.shift(info.context.db, await service.add_duty_shift(cmd, unit_of_work(info)))
    return DutyShiftPayload(shift=DutyShift.from_row(row) if row else None)
