from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolRoutePayload, route_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.patrols import editing
from domain.patrols.commands import SetActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="停用/启用巡查路线 Off: no more runs, and its runs not started are cancelled. On: the coming "
                                 "week's runs are made again at once.")
@user_errors(PatrolRoutePayload)
async def set_patrol_route_active(info: Info, route_id: strawberry.ID, active: bool,
                                  idempotency_key: IdempotencyKey = None) -> PatrolRoutePayload:
    cmd = SetActive(id=from_global_id(route_id, "PatrolRoute", "routeId"), active=active, idempotency_key=idempotency_key)
    return await route_payload(info, await editing.set_route_active(cmd, unit_of_work(info)))
