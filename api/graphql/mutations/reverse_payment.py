from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from tenants.roles import Permission
from api.graphql.mutations._fee_payload import PaymentPayload, payment_payload
from domain.fees import payments
from domain.fees.commands import ReversePayment


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_ADJUST)],
                     description="冲正 Reverse a payment: its bills owe again; the payment stays, marked reversed.")
@user_errors(PaymentPayload)
async def reverse_payment(info: Info, payment_id: strawberry.ID, reason: str,
                          idempotency_key: IdempotencyKey = None) -> PaymentPayload:
    cmd = ReversePayment(payment_id=from_global_id(payment_id, "Payment", "paymentId"), reason=reason,
                         idempotency_key=idempotency_key)
    return await payment_payload(info, await payments.reverse_payment(cmd, unit_of_work(info)))
