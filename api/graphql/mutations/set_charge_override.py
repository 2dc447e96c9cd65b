from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from tenants.roles import Permission
from api.graphql.mutations._fee_payload import ChargeItemPayload, charge_item_payload
from api.graphql.types.fee_scalars import Rate1e4
from domain.fees import service
from domain.fees.commands import SetChargeOverride
from datetime import date


@strawberry.input
class SetChargeOverrideInput:
    charge_item_id: strawberry.ID
    unit_id: strawberry.ID
    excluded: bool = strawberry.field(description="不收 The flat is not charged this item.")
    reason: str
    rate: Rate1e4 | None = strawberry.field(default=None, description="特殊单价 The flat's own rate.")  # type: ignore[valid-type]
    until: date | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="单户调整 Exclude a flat from a charge item, or give it its own rate, until a date.")
@user_errors(ChargeItemPayload)
async def set_charge_override(info: Info, input: SetChargeOverrideInput, idempotency_key: IdempotencyKey = None) -> ChargeItemPayload:
    cmd = SetChargeOverride(charge_item_id=from_global_id(input.charge_item_id, "ChargeItem", "chargeItemId"),
                            unit_id=from_global_id(input.unit_id, "Unit", "unitId"), excluded=input.excluded,
                            reason=input.reason, rate_1e4=input.rate, until=input.until, idempotency_key=idempotency_key)
    return await charge_item_payload(info, await service.set_charge_override(cmd, unit_of_work(info)))
