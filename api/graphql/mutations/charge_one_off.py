from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from tenants.roles import Permission
from api.graphql.mutations._fee_payload import BillsPayload, bills_payload
from api.graphql.types.fee_scalars import Fen
from domain.fees import service
from domain.fees.commands import ChargeOneOff
from datetime import date


@strawberry.input
class ChargeOneOffInput:
    charge_item_id: strawberry.ID
    amount: Fen  # type: ignore[valid-type]
    period: date = strawberry.field(description="The month's first day.")
    due_on: date
    unit_ids: list[strawberry.ID] | None = None
    building_id: strawberry.ID | None = strawberry.field(default=None, description="Every flat of the building.")
    note: str = ""


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="一次性收费 Charge a one-off item to flats (or a building's); once per flat, item and month.")
@user_errors(BillsPayload)
async def charge_one_off(info: Info, input: ChargeOneOffInput, idempotency_key: IdempotencyKey = None) -> BillsPayload:
    cmd = ChargeOneOff(charge_item_id=from_global_id(input.charge_item_id, "ChargeItem", "chargeItemId"),
                       amount_fen=input.amount, period=input.period, due_on=input.due_on,
                       unit_ids=tuple(from_global_id(u, "Unit", "unitIds") for u in input.unit_ids or ()),
                       building_id=from_global_id(input.building_id, "Building", "buildingId") if input.building_id else None,
                       note=input.note, idempotency_key=idempotency_key)
    return await bills_payload(info, await service.charge_one_off(cmd, unit_of_work(info)))
