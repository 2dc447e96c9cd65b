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
from domain.calls.commands import RotateTelephonyIntegrationSecret
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CALLS_MANAGE)],
                     description="更换密钥 A new signing secret, shown once; calls signed with the old one are refused at once.")
@user_errors(TelephonyIntegrationPayload)
async def rotate_telephony_integration_secret(info: Info, integration_id: strawberry.ID,
                                              idempotency_key: IdempotencyKey = None) -> TelephonyIntegrationPayload:
    cmd = RotateTelephonyIntegrationSecret(
        integration_id=from_global_id(integration_id, "TelephonyIntegration", "integrationId"), idempotency_key=idempotency_key)
    made, secret = await integrations.rotate_telephony_integration_secret(cmd, unit_of_work(info),
                                                                          cipher=info.context.platform.cipher)
    return TelephonyIntegrationPayload(integration=await telephony_integration(info, made), secret=secret)
