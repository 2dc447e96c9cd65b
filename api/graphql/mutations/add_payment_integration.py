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
from domain.fees.commands import AddPaymentIntegration
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="添加缴费对接 Add a payment integration to a project; the answer carries its signing secret, once.")
@user_errors(PaymentIntegrationPayload)
async def add_payment_integration(info: Info, project_id: strawberry.ID, name: str,
                                  idempotency_key: IdempotencyKey = None) -> PaymentIntegrationPayload:
    cmd = AddPaymentIntegration(project_id=from_global_id(project_id, "Project", "projectId"), name=name,
                                idempotency_key=idempotency_key)
    made, secret = await integrations.add_payment_integration(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return PaymentIntegrationPayload(integration=await payment_integration(info, made), secret=secret)
