from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._sweep import SweepPayload, parse_sweep_id, sweep_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.sweeps import service
from domain.sweeps.commands import CloseSweep
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SWEEP_MANAGE)],
                     description="结束排查行动 A draft withdrawn or a sweep under way ended: parts not submitted take no "
                                 "more results and stop climbing the ladder; what was found stays on the board.")
@user_errors(SweepPayload)
async def close_sweep(info: Info, sweep_id: strawberry.ID, note: str = "", idempotency_key: IdempotencyKey = None) -> SweepPayload:
    cmd = CloseSweep(sweep_id=parse_sweep_id(sweep_id), note=note, idempotency_key=idempotency_key)
    return await sweep_payload(info, await service.close_sweep(cmd, unit_of_work(info)))
