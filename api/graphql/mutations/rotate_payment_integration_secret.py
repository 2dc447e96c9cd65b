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
from domain.fees.commands import RotatePaymentIntegrationSecret
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="更换密钥 A new signing secret, shown once; notifications signed with the old one are refused at once.")
@user_errors(PaymentIntegrationPayload)
async def rotate_payment_integration_secret(info: Info, integration_id: strawberry.ID,
                                            idempotency_key: IdempotencyKey = None) -> PaymentIntegrationPayload:
    cmd = RotatePaymentIntegrationSecret(integration_id=from_global_id(integration_id, "PaymentIntegration", "integrationId"),
                                         idempotency_key=idempotency_key)
    made, secret = await integrations.rotate_payment_integration_secret(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return PaymentIntegrationPayload(integration=await payment_integration(info, made), secret=secret)
