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
from domain.gov.commands import AddGovBridge
from tenants.roles import Permission


@strawberry.input(description="12345 对接 A bridge from a city's government hotline to one project.")
class GovBridgeInput:
    project_id: strawberry.ID
    name: str
    city: str = strawberry.field(description="e.g. 北京市; its deadlines apply (govCityDeadlines).")
    callback_url: str = strawberry.field(
        description="https URL of a public address our answers are posted to, signed; checked again at every send.")
    receiver_id: strawberry.ID = strawberry.field(description="首问 The staff member its orders are registered by.")


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     deprecation_reason="Use addGovIntegration, shaped as every signed integration's; this one keeps working.",
                     description="添加12345对接 Add a bridge; the answer carries its signing secret, once.")
@user_errors(GovBridgePayload)
async def add_gov_bridge(info: Info, input: GovBridgeInput, idempotency_key: IdempotencyKey = None) -> GovBridgePayload:
    project = from_global_id(input.project_id, "Project", "projectId")
    cmd = AddGovBridge(project_id=project, name=input.name, city=input.city, callback_url=input.callback_url,
                       receiver_id=from_global_id(input.receiver_id, "User", "receiverId"), idempotency_key=idempotency_key)
    platform = info.context.platform
    bridge_id, secret = await service.add_gov_bridge(cmd, unit_of_work(info), cipher=platform.cipher,
                                                     allow_loopback=platform.settings.allow_loopback_deliveries)
    return GovBridgePayload(bridge=await gov_bridge(info, bridge_id), secret=secret)
