from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._sweep import SweepPayload, parse_sweep_id, sweep_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.sweeps import service
from domain.sweeps.commands import SubmitSweep
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SWEEP_RECORD)],
                     description="提交排查 A project submits its part once every item has a result; its timers stop.")
@user_errors(SweepPayload)
async def submit_sweep(info: Info, sweep_id: strawberry.ID, project_id: strawberry.ID,
                       idempotency_key: IdempotencyKey = None) -> SweepPayload:
    cmd = SubmitSweep(sweep_id=parse_sweep_id(sweep_id), project_id=from_global_id(project_id, "Project", "projectId"),
                      idempotency_key=idempotency_key)
    return await sweep_payload(info, await service.submit_sweep(cmd, unit_of_work(info)))
