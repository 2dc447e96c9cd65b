from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._fee_payload import PaymentPayload, payment_payload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.fees import OverpaidResolutionType, PayMethodType
from api.graphql.types.node import from_global_id
from domain.fees import clearing
from domain.fees.commands import ClearOverpaid
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_COLLECT)],
                     description="结清多收 Settle a payment marked OVERPAID: REFUND records a refund of the credit left on it "
                                 "(退款, in `refundMethod`, the payment's own by default), CREDIT keeps it for the flat's "
                                 "next bills (转预存). The mark is lifted; a payment not marked is INVALID_STATE "
                                 "PAYMENT_NOT_OVERPAID.")
@user_errors(PaymentPayload)
async def clear_overpaid_payment(info: Info, payment_id: strawberry.ID, resolution: OverpaidResolutionType,
                                 note: str = "", refund_method: PayMethodType | None = None,
                                 idempotency_key: IdempotencyKey = None) -> PaymentPayload:
    cmd = ClearOverpaid(payment_id=from_global_id(payment_id, "Payment", "paymentId"), resolution=resolution, note=note,
                        method=refund_method, idempotency_key=idempotency_key)
    return await payment_payload(info, await clearing.clear_overpaid(cmd, unit_of_work(info)))
