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
from api.graphql.types.fee_scalars import Fen
from api.graphql.types.fees import PayMethodType
from domain.fees import payments
from domain.fees.commands import RecordPayment
from datetime import datetime


@strawberry.input
class AllocationInput:
    bill_id: strawberry.ID
    amount: Fen  # type: ignore[valid-type]


@strawberry.input
class RecordPaymentInput:
    unit_id: strawberry.ID
    amount: Fen  # type: ignore[valid-type]
    method: PayMethodType
    paid_at: datetime = strawberry.field(description="Within the last 31 days, not in the future.")
    allocations: list[AllocationInput] | None = strawberry.field(
        default=None, description="The bills it pays and how much of each; without: oldest first. The rest is credit.")
    note: str = ""
    invoice_no: str = ""


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_COLLECT)],
                     description="收款 Record a flat's payment at the desk: it pays the named bills, else the oldest first; "
                                 "what is left is kept as credit. Answers the receipt number.")
@user_errors(PaymentPayload)
async def record_payment(info: Info, input: RecordPaymentInput, idempotency_key: IdempotencyKey = None) -> PaymentPayload:
    cmd = RecordPayment(unit_id=from_global_id(input.unit_id, "Unit", "unitId"), amount_fen=input.amount, method=input.method,
                        paid_at=input.paid_at,
                        allocations=tuple((from_global_id(a.bill_id, "Bill", "allocations"), a.amount)
                                          for a in input.allocations or ()),
                        note=input.note, invoice_no=input.invoice_no, idempotency_key=idempotency_key)
    return await payment_payload(info, await payments.record_payment(cmd, unit_of_work(info)))
