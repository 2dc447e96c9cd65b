from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from tenants.roles import Permission
from api.graphql.mutations._fee_payload import BillPayload, bill_payload
from domain.fees import payments
from domain.fees.commands import CancelBill


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_ADJUST)],
                     description="作废 Cancel an open bill with no payments (one with payments can only be waived).")
@user_errors(BillPayload)
async def cancel_bill(info: Info, bill_id: strawberry.ID, reason: str, idempotency_key: IdempotencyKey = None) -> BillPayload:
    cmd = CancelBill(bill_id=from_global_id(bill_id, "Bill", "billId"), reason=reason, idempotency_key=idempotency_key)
    return await bill_payload(info, await payments.cancel_bill(cmd, unit_of_work(info)))
