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
from domain.patrols import editing
from domain.patrols.commands import UpdateRoute
from tenants.roles import Permission


@strawberry.input(description="修改巡查路线 What is given changes; what is left out stays.")
class UpdatePatrolRouteInput:
    route_id: strawberry.ID
    name: str | None = strawberry.field(default=None, description="1–100 characters, unique in the project.")
    kind: PatrolKind | None = None
    department_id: strawberry.ID | None = None
    clear_department: bool = strawberry.field(default=False, description="Drop the route's department.")


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="修改巡查路线 Rename the route, change its kind or department.")
@user_errors(PatrolRoutePayload)
async def update_patrol_route(info: Info, input: UpdatePatrolRouteInput, idempotency_key: IdempotencyKey = None) -> PatrolRoutePayload:
    cmd = UpdateRoute(route_id=from_global_id(input.route_id, "PatrolRoute", "routeId"), name=input.name,
                      kind=input.kind.value if input.kind else None,
                      department_id=(from_global_id(input.department_id, "Department", "departmentId")
                                     if input.department_id else None),
                      clear_department=input.clear_department, idempotency_key=idempotency_key)
    return await route_payload(info, await editing.update_route(cmd, unit_of_work(info)))
