from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._payment_integration import PaymentIntegrationPayload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.payment_integration import payment_integration
from domain.fees import integrations
from domain.fees.commands import SetPaymentIntegrationActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="启用/停用 Switch a payment integration on or off: off, its notifications are refused (403).")
@user_errors(PaymentIntegrationPayload)
async def set_payment_integration_active(info: Info, integration_id: strawberry.ID, active: bool,
                                         idempotency_key: IdempotencyKey = None) -> PaymentIntegrationPayload:
    cmd = SetPaymentIntegrationActive(integration_id=from_global_id(integration_id, "PaymentIntegration", "integrationId"),
                                      active=active, idempotency_key=idempotency_key)
    made = await integrations.set_payment_integration_active(cmd, unit_of_work(info))
    return PaymentIntegrationPayload(integration=await payment_integration(info, made))
