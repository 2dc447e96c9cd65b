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
from api.graphql.types.fees import ChargeBasisType, ChargeKindType
from domain.fees import service
from domain.fees.commands import CreateChargeItem
from datetime import date


@strawberry.input
class CreateChargeItemInput:
    project_id: strawberry.ID
    code: str = strawberry.field(description="e.g. WYF; unique in the project.")
    name: str
    kind: ChargeKindType
    basis: ChargeBasisType
    starts_on: date
    unit_uses: list[str] | None = strawberry.field(default=None, description="Flats it applies to; default residential.")
    space_tenures: list[str] | None = strawberry.field(default=None, description="For a per-space item; default owned, leased.")
    building_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these buildings; all when null.")
    vacant_percent: int = 100
    due_day: int = 1
    ends_on: date | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.FEE_MANAGE)],
                     description="新建收费项目 Add a charge item to a project; its code is unique there.")
@user_errors(ChargeItemPayload)
async def create_charge_item(info: Info, input: CreateChargeItemInput, idempotency_key: IdempotencyKey = None) -> ChargeItemPayload:
    cmd = CreateChargeItem(
        project_id=from_global_id(input.project_id, "Project", "projectId"), code=input.code, name=input.name,
        kind=input.kind, basis=input.basis, starts_on=input.starts_on,
        unit_uses=tuple(input.unit_uses) if input.unit_uses else ("residential",),
        space_tenures=tuple(input.space_tenures) if input.space_tenures else ("owned", "leased"),
        building_ids=tuple(from_global_id(b, "Building", "buildingIds") for b in input.building_ids) if input.building_ids else None,
        vacant_percent=input.vacant_percent, due_day=input.due_day, ends_on=input.ends_on, idempotency_key=idempotency_key)
    return await charge_item_payload(info, await service.create_charge_item(cmd, unit_of_work(info)))
