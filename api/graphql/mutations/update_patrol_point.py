from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolPointPayload, point_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.patrols import editing
from domain.patrols.commands import UpdatePoint
from tenants.roles import Permission


@strawberry.input(description="修改巡查点 What is given changes; what is left out stays. The QR code stays the same.")
class UpdatePatrolPointInput:
    point_id: strawberry.ID
    name: str | None = strawberry.field(default=None, description="1–100 characters")
    place: str | None = strawberry.field(default=None, description="位置, up to 200 characters.")
    building_id: strawberry.ID | None = None
    clear_building: bool = strawberry.field(default=False, description="Drop the point's building.")
    checks: list[str] | None = strawberry.field(default=None, description="检查项 The whole list: at most 20, each up to 100 "
                                                                        "characters.")


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="修改巡查点 Its name, place, building or checks; the printed code stays valid.")
@user_errors(PatrolPointPayload)
async def update_patrol_point(info: Info, input: UpdatePatrolPointInput, idempotency_key: IdempotencyKey = None) -> PatrolPointPayload:
    cmd = UpdatePoint(point_id=from_global_id(input.point_id, "PatrolPoint", "pointId"), name=input.name, place=input.place,
                      building_id=from_global_id(input.building_id, "Building", "buildingId") if input.building_id else None,
                      clear_building=input.clear_building, checks=tuple(input.checks) if input.checks is not None else None,
                      idempotency_key=idempotency_key)
    return await point_payload(info, await editing.update_point(cmd, unit_of_work(info)))
