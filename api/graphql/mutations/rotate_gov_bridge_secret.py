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
from domain.gov.commands import RotateGovBridgeSecret
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     deprecation_reason="Use rotateGovIntegrationSecret, shaped as every signed integration's; this one keeps working.",
                     description="更换密钥 A new signing secret, shown once; the old one stops working at once, both ways.")
@user_errors(GovBridgePayload)
async def rotate_gov_bridge_secret(info: Info, bridge_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> GovBridgePayload:
    cmd = RotateGovBridgeSecret(bridge_id=from_global_id(bridge_id, "GovBridge", "bridgeId"), idempotency_key=idempotency_key)
    done, secret = await service.rotate_gov_bridge_secret(cmd, unit_of_work(info), cipher=info.context.platform.cipher,
                                                     field="bridgeId")
    return GovBridgePayload(bridge=await gov_bridge(info, done), secret=secret)
