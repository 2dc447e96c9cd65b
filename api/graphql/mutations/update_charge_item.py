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
from domain.fees import service
from domain.fees.commands import UpdateChargeItem
from datetime import date


@strawberry.input
class UpdateChargeItemInput:
    name: str | None = None
    vacant_percent: int | None = None
    due_day: int | None = None
    ends_on: date | None = None
    active: bool | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="修改收费项目 Rename, end or pause a charge item; bills already issued keep their amounts.")
@user_errors(ChargeItemPayload)
async def update_charge_item(info: Info, charge_item_id: strawberry.ID, input: UpdateChargeItemInput,
                             idempotency_key: IdempotencyKey = None) -> ChargeItemPayload:
    cmd = UpdateChargeItem(charge_item_id=from_global_id(charge_item_id, "ChargeItem", "chargeItemId"), name=input.name,
                           vacant_percent=input.vacant_percent, due_day=input.due_day, ends_on=input.ends_on,
                           active=input.active, idempotency_key=idempotency_key)
    return await charge_item_payload(info, await service.update_charge_item(cmd, unit_of_work(info)))
