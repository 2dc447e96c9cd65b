from __future__ import annotations

from datetime import date, time

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolPlanPayload, plan_payload, plan_schedule
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.patrol import PatrolCadence
from domain.patrols import service
from domain.patrols.commands import CreatePlan
from tenants.roles import Permission


@strawberry.input(description="巡查计划 Who walks the route, how often and when (Beijing time).")
class CreatePatrolPlanInput:
    route_id: strawberry.ID
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="巡查人; or give departmentId.")
    department_id: strawberry.ID | None = strawberry.field(default=None, description="Any member of the department walks it.")
    cadence: PatrolCadence
    weekdays: list[int] | None = strawberry.field(default=None, description="Weekly: 1 = Monday … 7 = Sunday.")
    month_days: list[int] | None = strawberry.field(default=None, description="Monthly: 1–31 (a month without the day skips it).")
    window_start: time = strawberry.field(description="The window opens at this Beijing time of day.")
    window_minutes: int = strawberry.field(description="10–1,440: a run not finished by then is missed and escalates.")
    starts_on: date
    ends_on: date | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="新建巡查计划 Its runs appear a week ahead with the patrol sweep's next round.")
@user_errors(PatrolPlanPayload)
async def create_patrol_plan(info: Info, input: CreatePatrolPlanInput, idempotency_key: IdempotencyKey = None) -> PatrolPlanPayload:
    cmd = CreatePlan(route_id=from_global_id(input.route_id, "PatrolRoute", "routeId"), **plan_schedule(input),
                     idempotency_key=idempotency_key)
    return await plan_payload(info, await service.create_plan(cmd, unit_of_work(info)))
