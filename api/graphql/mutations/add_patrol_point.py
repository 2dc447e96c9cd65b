from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolPointPayload, point_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.patrols import service
from domain.patrols.commands import AddPoint
from tenants.roles import Permission


@strawberry.input(description="巡查点 A place on the route and what to look at there.")
class AddPatrolPointInput:
    route_id: strawberry.ID
    name: str = strawberry.field(description="1–100 characters")
    place: str = strawberry.field(default="", description="位置 e.g. 地下车库B2消防泵房, up to 200 characters.")
    building_id: strawberry.ID | None = None
    checks: list[str] | None = strawberry.field(default=None, description="检查项 At most 20, each up to 100 characters.")


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="添加巡查点 A point at the end of the route, with a new QR code (print the route's sheet).")
@user_errors(PatrolPointPayload)
async def add_patrol_point(info: Info, input: AddPatrolPointInput, idempotency_key: IdempotencyKey = None) -> PatrolPointPayload:
    cmd = AddPoint(route_id=from_global_id(input.route_id, "PatrolRoute", "routeId"), name=input.name, place=input.place,
                   building_id=from_global_id(input.building_id, "Building", "buildingId") if input.building_id else None,
                   checks=tuple(input.checks or ()), idempotency_key=idempotency_key)
    return await point_payload(info, await service.add_point(cmd, unit_of_work(info)))
