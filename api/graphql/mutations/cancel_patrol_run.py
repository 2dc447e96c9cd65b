from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolRunPayload, run_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.patrols import editing
from domain.patrols.commands import CancelRun
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="取消巡查任务 A run not done nor missed, with the reason: it never counts as missed and its "
                                 "timers stop.")
@user_errors(PatrolRunPayload)
async def cancel_patrol_run(info: Info, run_id: strawberry.ID, reason: str,
                            idempotency_key: IdempotencyKey = None) -> PatrolRunPayload:
    cmd = CancelRun(run_id=from_global_id(run_id, "PatrolRun", "runId"), reason=reason, idempotency_key=idempotency_key)
    return await run_payload(info, await editing.cancel_run(cmd, unit_of_work(info)))
