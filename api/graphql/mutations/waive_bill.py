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
from api.graphql.types.fee_scalars import Fen
from domain.fees import payments
from domain.fees.commands import WaiveBill


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_ADJUST)],
                     description="减免 Waive part or all of what an open bill owes.")
@user_errors(BillPayload)
async def waive_bill(info: Info, bill_id: strawberry.ID, amount: Fen, reason: str,  # type: ignore[valid-type]
                     idempotency_key: IdempotencyKey = None) -> BillPayload:
    cmd = WaiveBill(bill_id=from_global_id(bill_id, "Bill", "billId"), amount_fen=amount, reason=reason,
                    idempotency_key=idempotency_key)
    return await bill_payload(info, await payments.waive_bill(cmd, unit_of_work(info)))
