from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._reminder import FeeHoldPayload, hold_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.fees import reminder_service
from domain.fees.reminder_commands import ReleaseFeeHold
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_COLLECT)],
                     description="恢复催缴 End a flat's hold now; automatic reminders resume with the next sweep.")
@user_errors(FeeHoldPayload)
async def release_fee_hold(info: Info, unit_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> FeeHoldPayload:
    cmd = ReleaseFeeHold(unit_id=from_global_id(unit_id, "Unit", "unitId"), idempotency_key=idempotency_key)
    return await hold_payload(info, await reminder_service.release_fee_hold(cmd, unit_of_work(info)))
