from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolRunPayload, run_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.patrols import service
from domain.patrols.commands import RunStep
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_RECORD)],
                     description="开始巡查 The assignee (or a member of the plan’s department) starts the run, inside its window.")
@user_errors(PatrolRunPayload)
async def start_patrol_run(info: Info, run_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> PatrolRunPayload:
    cmd = RunStep(run_id=from_global_id(run_id, "PatrolRun", "runId"), idempotency_key=idempotency_key)
    return await run_payload(info, await service.start_run(cmd, unit_of_work(info)))
