from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id, to_global_id
from domain.roster import service
from domain.roster.commands import RemoveDutyShift
from tenants.roles import Permission


@strawberry.type
class RemoveDutyShiftPayload:
    removed_shift_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ROSTER_MANAGE)], description="撤班 Take a shift off the roster.")
@user_errors(RemoveDutyShiftPayload)
async def remove_duty_shift(info: Info, shift_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> RemoveDutyShiftPayload:
    sid = from_global_id(shift_id, "DutyShift", "shiftId")
    cmd = RemoveDutyShift(shift_id=sid, request={"shiftId": shift_id}, idempotency_key=idempotency_key)
    removed = await service.remove_duty_shift(cmd, unit_of_work(info))
    return RemoveDutyShiftPayload(removed_shift_id=to_global_id("DutyShift", str(removed)))
