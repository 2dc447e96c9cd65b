from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._sweep import SweepPayload, sweep_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.hazard import HazardCategory
from api.graphql.types.node import from_global_id
from domain.sweeps import service
from domain.sweeps.commands import CreateSweep
from domain.sweeps.rules import SweepItem
from tenants.roles import Permission


@strawberry.input(description="排查项 A code unique in the sweep (1–20 letters, digits, - or _), what to check, and the "
                              "hazard category it looks for.")
class SweepItemInput:
    code: str
    text: str
    category: HazardCategory


@strawberry.input(description="排查行动 What headquarters wants checked, why, where and by when.")
class CreateSweepInput:
    title: str = strawberry.field(description="1–100 characters")
    reason: str = strawberry.field(default="", description="排查原因 Up to 2,000 characters.")
    checklist: list[SweepItemInput] = strawberry.field(description="1–100 items; fixed once launched.")
    due_at: datetime = strawberry.field(description="截止时间 Within 90 days.")
    project_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Null: every project.")


@strawberry.mutation(permission_classes=[Requires(Permission.SWEEP_MANAGE)],
                     description="新建排查行动 Draft a dragnet sweep (company-wide sweep:manage); launchSweep sends it.")
@user_errors(SweepPayload)
async def create_sweep(info: Info, input: CreateSweepInput, idempotency_key: IdempotencyKey = None) -> SweepPayload:
    cmd = CreateSweep(title=input.title, reason=input.reason,
                      checklist=tuple(SweepItem(i.code, i.text, i.category.value) for i in input.checklist), due_at=input.due_at,
                      project_ids=tuple(from_global_id(p, "Project", "projectIds") for p in input.project_ids)
                      if input.project_ids is not None else None, idempotency_key=idempotency_key)
    return await sweep_payload(info, await service.create_sweep(cmd, unit_of_work(info)))
