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
from domain.patrols.commands import SetActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="停用/启用巡查点 Off: left out of runs not started and of the QR sheet, its code takes no "
                                 "visits. On: counted again.")
@user_errors(PatrolPointPayload)
async def set_patrol_point_active(info: Info, point_id: strawberry.ID, active: bool,
                                  idempotency_key: IdempotencyKey = None) -> PatrolPointPayload:
    cmd = SetActive(id=from_global_id(point_id, "PatrolPoint", "pointId"), active=active, idempotency_key=idempotency_key)
    return await point_payload(info, await editing.set_point_active(cmd, unit_of_work(info)))
