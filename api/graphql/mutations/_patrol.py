"""What the patrol mutations share: their payloads, and a plan's schedule as createPatrolPlan and
updatePatrolPlan both take it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.patrol import (
    PatrolPlan, PatrolPoint, PatrolRoute, PatrolRun, PatrolVisit, patrol_plan, patrol_point, patrol_route, patrol_run, patrol_visit,
)


@strawberry.type
class PatrolRoutePayload:
    route: PatrolRoute | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PatrolPointPayload:
    point: PatrolPoint | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PatrolPlanPayload:
    plan: PatrolPlan | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PatrolRunPayload:
    run: PatrolRun | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PatrolVisitPayload:
    visit: PatrolVisit | None = None
    run: PatrolRun | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def route_payload(info: Info, route_id: UUID) -> PatrolRoutePayload:
    return PatrolRoutePayload(route=await patrol_route(info, route_id))


async def point_payload(info: Info, point_id: UUID) -> PatrolPointPayload:
    return PatrolPointPayload(point=await patrol_point(info, point_id))


async def plan_payload(info: Info, plan_id: UUID) -> PatrolPlanPayload:
    return PatrolPlanPayload(plan=await patrol_plan(info, plan_id))


async def run_payload(info: Info, run_id: UUID) -> PatrolRunPayload:
    return PatrolRunPayload(run=await patrol_run(info, run_id))


async def visit_payload(info: Info, visit_id: UUID) -> PatrolVisitPayload:
    visit = await patrol_visit(info, visit_id)
    return PatrolVisitPayload(visit=visit, run=await patrol_run(info, visit.row.run_id) if visit else None)


def plan_schedule(input: Any) -> dict[str, Any]:
    """The CreatePlan / UpdatePlan fields that CreatePatrolPlanInput and UpdatePatrolPlanInput both
    carry, ids decoded."""
    return {"assignee_user_id": from_global_id(input.assignee_id, "User", "assigneeId") if input.assignee_id else None,
            "department_id": from_global_id(input.department_id, "Department", "departmentId") if input.department_id else None,
            "cadence": input.cadence.value, "weekdays": tuple(input.weekdays or ()), "month_days": tuple(input.month_days or ()),
            "window_start": input.window_start, "window_minutes": input.window_minutes, "starts_on": input.starts_on,
            "ends_on": input.ends_on}
