"""12345 热线对接 as a signed integration, in the shape of the payment and telephony integrations'
mutations: add{Kind}Integration, set{Kind}IntegrationActive, rotate{Kind}IntegrationSecret, each
answering `{integration, secret, errors}`. The integration is the GovBridge (its id unchanged);
addGovBridge, setGovBridgeActive and rotateGovBridgeSecret stay, deprecated, doing the same steps."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovBridge, gov_bridge
from api.graphql.types.node import from_global_id
from domain.gov import integration
from domain.gov.commands import AddGovBridge, RotateGovBridgeSecret, SetGovBridgeActive
from tenants.roles import Permission


@strawberry.type
class GovIntegrationPayload:
    integration: GovBridge | None = None
    secret: str | None = strawberry.field(
        default=None, description="签名密钥 The signing secret, shown only in this answer (not on a replayed idempotency key). "
                                  "The bridge signs what it sends with it, and we sign our answers with it.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     description="添加12345热线对接 Add a 12345 bridge to a project; the answer carries its signing secret, once.")
@user_errors(GovIntegrationPayload)
async def add_gov_integration(
        info: Info, project_id: strawberry.ID, name: str,
        city: Annotated[str, strawberry.argument(description="e.g. 北京市; its deadlines apply (govCityDeadlines).")],
        callback_url: Annotated[str, strawberry.argument(
            description="https URL of a public address our answers are posted to, signed; checked again at every send.")],
        receiver_id: Annotated[strawberry.ID, strawberry.argument(description="首问 The staff member its orders are registered by.")],
        idempotency_key: IdempotencyKey = None) -> GovIntegrationPayload:
    cmd = AddGovBridge(project_id=from_global_id(project_id, "Project", "projectId"), name=name, city=city,
                       callback_url=callback_url, receiver_id=from_global_id(receiver_id, "User", "receiverId"),
                       idempotency_key=idempotency_key)
    platform = info.context.platform
    made, secret = await integration.add_gov_bridge(cmd, unit_of_work(info), cipher=platform.cipher,
                                                    allow_loopback=platform.settings.allow_loopback_deliveries)
    return GovIntegrationPayload(integration=await gov_bridge(info, made), secret=secret)


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     description="启用/停用 Switch a 12345 bridge on or off: off, what it sends is refused (403); "
                                 "answers owed still go back.")
@user_errors(GovIntegrationPayload)
async def set_gov_integration_active(info: Info, integration_id: strawberry.ID, active: bool,
                                     idempotency_key: IdempotencyKey = None) -> GovIntegrationPayload:
    cmd = SetGovBridgeActive(bridge_id=from_global_id(integration_id, "GovBridge", "integrationId"), active=active,
                             idempotency_key=idempotency_key)
    made = await integration.set_gov_bridge_active(cmd, unit_of_work(info))
    return GovIntegrationPayload(integration=await gov_bridge(info, made))


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     description="更换密钥 A new signing secret, shown once; the old one stops working at once, both ways.")
@user_errors(GovIntegrationPayload)
async def rotate_gov_integration_secret(info: Info, integration_id: strawberry.ID,
                                        idempotency_key: IdempotencyKey = None) -> GovIntegrationPayload:
    cmd = RotateGovBridgeSecret(bridge_id=from_global_id(integration_id, "GovBridge", "integrationId"),
                                idempotency_key=idempotency_key)
    made, secret = await integration.rotate_gov_bridge_secret(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return GovIntegrationPayload(integration=await gov_bridge(info, made), secret=secret)
