from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._sweep import SweepPayload, parse_sweep_id, sweep_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.create_sweep import SweepItemInput
from api.graphql.permissions import Requires
from domain.sweeps import service
from domain.sweeps.commands import UpdateSweep
from domain.sweeps.rules import SweepItem
from tenants.roles import Permission


@strawberry.input(description="修改排查行动 What is given changes; what is left out stays.")
class UpdateSweepInput:
    sweep_id: strawberry.ID
    title: str | None = strawberry.field(default=None, description="1–100 characters")
    reason: str | None = strawberry.field(default=None, description="Up to 2,000 characters.")
    checklist: list[SweepItemInput] | None = strawberry.field(default=None, description="The whole list; a draft's only.")
    due_at: datetime | None = strawberry.field(default=None, description="Within 90 days; a launched sweep's open parts "
                                                                         "are due then, their timers planted again.")


@strawberry.mutation(permission_classes=[Requires(Permission.SWEEP_MANAGE)],
                     description="修改排查行动 Title, reason and due time while open; the checklist while a draft.")
@user_errors(SweepPayload)
async def update_sweep(info: Info, input: UpdateSweepInput, idempotency_key: IdempotencyKey = None) -> SweepPayload:
    cmd = UpdateSweep(sweep_id=parse_sweep_id(input.sweep_id), title=input.title, reason=input.reason,
                      checklist=tuple(SweepItem(i.code, i.text, i.category.value) for i in input.checklist)
                      if input.checklist is not None else None, due_at=input.due_at, idempotency_key=idempotency_key)
    return await sweep_payload(info, await service.update_sweep(cmd, unit_of_work(info)))
