from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._telephony import TelephonyIntegrationPayload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.calls import telephony_integration
from api.graphql.types.node import from_global_id
from domain.calls import integrations
from domain.calls.commands import SetTelephonyIntegrationActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CALLS_MANAGE)],
                     description="启用/停用 Switch a telephony integration on or off: off, the calls it posts are refused (403).")
@user_errors(TelephonyIntegrationPayload)
async def set_telephony_integration_active(info: Info, integration_id: strawberry.ID, active: bool,
                                           idempotency_key: IdempotencyKey = None) -> TelephonyIntegrationPayload:
    cmd = SetTelephonyIntegrationActive(integration_id=from_global_id(integration_id, "TelephonyIntegration", "integrationId"),
                                        active=active, idempotency_key=idempotency_key)
    made = await integrations.set_telephony_integration_active(cmd, unit_of_work(info))
    return TelephonyIntegrationPayload(integration=await telephony_integration(info, made))
