from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import UnitPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive import UnitUseType, load_unit
from api.graphql.types.node import from_global_id
from domain.archive import service
from domain.archive.commands import CreateUnit
from domain.archive.kinds import UnitUse
from tenants.roles import Permission


@strawberry.input
class CreateUnitInput:
    building_id: strawberry.ID
    number: str = strawberry.field(description="房号, e.g. 1502")
    floor: int
    entrance: str = strawberry.field(default="", description="单元; empty when the building has none")
    area_m2: float | None = None
    use: UnitUseType = UnitUse.RESIDENTIAL
    vacant: bool = False


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="新建房屋 Add a flat to a building; building, entrance and number are unique together.")
@user_errors(UnitPayload)
async def create_unit(info: Info, input: CreateUnitInput, idempotency_key: IdempotencyKey = None) -> UnitPayload:
    cmd = CreateUnit(building_id=from_global_id(input.building_id, "Building", "buildingId"), number=input.number,
                     floor=input.floor, entrance=input.entrance, area_m2=input.area_m2, use=UnitUse(input.use),
                     vacant=input.vacant, idempotency_key=idempotency_key)
    return UnitPayload(unit=await load_unit(info, await service.create_unit(cmd, unit_of_work(info))))
