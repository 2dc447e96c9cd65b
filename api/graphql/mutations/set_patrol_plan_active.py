from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._patrol import PatrolPlanPayload, plan_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.patrols import editing
from domain.patrols.commands import SetActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PATROL_MANAGE)],
                     description="停用/启用巡查计划 Off: no more runs, and its runs not started are cancelled. On: the coming "
                                 "week's runs are made again at once.")
@user_errors(PatrolPlanPayload)
async def set_patrol_plan_active(info: Info, plan_id: strawberry.ID, active: bool,
                                 idempotency_key: IdempotencyKey = None) -> PatrolPlanPayload:
    cmd = SetActive(id=from_global_id(plan_id, "PatrolPlan", "planId"), active=active, idempotency_key=idempotency_key)
    return await plan_payload(info, await editing.set_plan_active(cmd, unit_of_work(info)))
