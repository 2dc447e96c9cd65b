from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolRoutePayload, route_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.patrol import PatrolKind
from domain.patrols import service
from domain.patrols.commands import CreateRoute
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="新建巡查路线 A named walk of the project; add its points with addPatrolPoint.")
@user_errors(PatrolRoutePayload)
async def create_patrol_route(info: Info, project_id: strawberry.ID, name: str, kind: PatrolKind,
                              department_id: strawberry.ID | None = None,
                              idempotency_key: IdempotencyKey = None) -> PatrolRoutePayload:
    cmd = CreateRoute(project_id=from_global_id(project_id, "Project", "projectId"), name=name, kind=kind.value,
                      department_id=from_global_id(department_id, "Department", "departmentId") if department_id else None,
                      idempotency_key=idempotency_key)
    return await route_payload(info, await service.create_route(cmd, unit_of_work(info)))
