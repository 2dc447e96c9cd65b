from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id, to_global_id
from domain.errors import not_found
from domain.roster import repository as roster
from tenants.roles import Permission


@strawberry.type
class RemoveDutyShiftPayload:
    removed_shift_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ROSTER_MANAGE)], description="撤班 Take a shift off the roster.")
@user_errors(RemoveDutyShiftPayload)
async def remove_duty_shift(info: Info, shift_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> RemoveDutyShiftPayload:
    sid = from_global_id(shift_id, "DutyShift", "shiftId")
    p = info.context.require()

    async def remove(conn) -> dict:
        shift = await roster.get_shift(conn, sid)
        if shift is None:
            raise not_found("The shift", "shiftId")
        require_on(info, Permission.ROSTER_MANAGE, shift.project_id)
        await roster.remove_shift(conn, org_id=p.org_id, shift_id=sid, actor=p.actor)
        return {"shift_id": str(sid)}

    result = await write(info, lambda conn: once(info, conn, idempotency_key, "removeDutyShift", {"shiftId": shift_id}, remove))
    return RemoveDutyShiftPayload(removed_shift_id=to_global_id("DutyShift", result["shift_id"]))
