from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import BuildingPayload, kept
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive import load_building
from api.graphql.types.node import from_global_id
from domain.archive import service
from domain.archive.commands import UpdateBuilding
from tenants.roles import Permission


@strawberry.input(description="Fields left out keep their value; none may be null.")
class UpdateBuildingInput:
    name: str | None = strawberry.UNSET
    floors: int | None = strawberry.UNSET


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="修改楼栋 Rename a building or change its floors.")
@user_errors(BuildingPayload)
async def update_building(info: Info, building_id: strawberry.ID, input: UpdateBuildingInput,
                          idempotency_key: IdempotencyKey = None) -> BuildingPayload:
    cmd = UpdateBuilding(building_id=from_global_id(building_id, "Building", "buildingId"), name=kept(input.name, "name"),
                         floors=kept(input.floors, "floors"), idempotency_key=idempotency_key)
    return BuildingPayload(building=await load_building(info, await service.update_building(cmd, unit_of_work(info))))
