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
from domain.fees.commands import SetChargeRate
from datetime import date


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="设置单价 A charge item's rate from a month on (元 × 10,000; fixed and per-space amounts "
                                 "whole fen). Bills already issued keep theirs.")
@user_errors(ChargeItemPayload)
async def set_charge_rate(info: Info, charge_item_id: strawberry.ID, effective_from: date, rate: Rate1e4,  # type: ignore[valid-type]
                          idempotency_key: IdempotencyKey = None) -> ChargeItemPayload:
    cmd = SetChargeRate(charge_item_id=from_global_id(charge_item_id, "ChargeItem", "chargeItemId"),
                        effective_from=effective_from, rate_1e4=rate, idempotency_key=idempotency_key)
    return await charge_item_payload(info, await service.set_charge_rate(cmd, unit_of_work(info)))
