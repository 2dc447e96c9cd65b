from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._gov_bridge import GovBridgePayload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.gov_order import gov_bridge
from api.graphql.types.node import from_global_id
from domain.gov import integration as service
from domain.gov.commands import SetGovBridgeActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     deprecation_reason="Use setGovIntegrationActive, shaped as every signed integration's; this one keeps working.",
                     description="启用/停用 Switch a bridge on or off: off, its requests are refused (403); answers owed still go back.")
@user_errors(GovBridgePayload)
async def set_gov_bridge_active(info: Info, bridge_id: strawberry.ID, active: bool,
                                idempotency_key: IdempotencyKey = None) -> GovBridgePayload:
    cmd = SetGovBridgeActive(bridge_id=from_global_id(bridge_id, "GovBridge", "bridgeId"), active=active,
                             idempotency_key=idempotency_key)
    return GovBridgePayload(bridge=await gov_bridge(info, await service.set_gov_bridge_active(cmd, unit_of_work(info), field="bridgeId")))
