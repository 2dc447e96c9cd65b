from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._sweep import SweepPayload, parse_sweep_id, sweep_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.sweeps import service
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SWEEP_MANAGE)],
                     description="下发排查 Launch a draft sweep: each project gets its part, due with the sweep; a part not "
                                 "submitted by then climbs the ladder.")
@user_errors(SweepPayload)
async def launch_sweep(info: Info, sweep_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> SweepPayload:
    return await sweep_payload(info, await service.launch_sweep(parse_sweep_id(sweep_id), unit_of_work(info),
                                                                idempotency_key=idempotency_key))
