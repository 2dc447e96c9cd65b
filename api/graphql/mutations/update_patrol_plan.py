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
from domain.patrols import editing
from domain.patrols.commands import UpdatePlan
from tenants.roles import Permission


@strawberry.input(description="修改巡查计划 The whole schedule as it shall be (as createPatrolPlan, without the route).")
class UpdatePatrolPlanInput:
    plan_id: strawberry.ID
    assignee_id: strawberry.ID | None = strawberry.field(default=None, description="巡查人; or give departmentId.")
    department_id: strawberry.ID | None = None
    cadence: PatrolCadence
    weekdays: list[int] | None = strawberry.field(default=None, description="Weekly: 1 = Monday … 7 = Sunday.")
    month_days: list[int] | None = strawberry.field(default=None, description="Monthly: 1–31.")
    window_start: time
    window_minutes: int = strawberry.field(description="10–1,440")
    starts_on: date = strawberry.field(description="开始日期 The plan's first day (Beijing).")
    ends_on: date | None = strawberry.field(default=None, description="结束日期 Its last day, not before startsOn; null: no end.")


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="修改巡查计划 Runs started or in their window stay; those still to come are made again "
                                 "from the new schedule. New dates cancel the runs not started on days they no longer "
                                 "cover (runs under way or done are never touched); an end before the start, or a new "
                                 "end before today, is VALIDATION with reason PATROL_PLAN_DATES.")
@user_errors(PatrolPlanPayload)
async def update_patrol_plan(info: Info, input: UpdatePatrolPlanInput, idempotency_key: IdempotencyKey = None) -> PatrolPlanPayload:
    cmd = UpdatePlan(plan_id=from_global_id(input.plan_id, "PatrolPlan", "planId"), **plan_schedule(input), idempotency_key=idempotency_key)
    return await plan_payload(info, await editing.update_plan(cmd, unit_of_work(info)))
