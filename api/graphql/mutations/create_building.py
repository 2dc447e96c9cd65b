from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import BuildingPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive import load_building
from api.graphql.types.node import from_global_id
from domain.archive import service
from domain.archive.commands import CreateBuilding
from tenants.roles import Permission


@strawberry.input
class CreateBuildingInput:
    project_id: strawberry.ID
    name: str
    floors: int


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="新建楼栋 Add a building to a project; its name is unique there.")
@user_errors(BuildingPayload)
async def create_building(info: Info, input: CreateBuildingInput, idempotency_key: IdempotencyKey = None) -> BuildingPayload:
    cmd = CreateBuilding(project_id=from_global_id(input.project_id, "Project", "projectId"), name=input.name,
                         floors=input.floors, idempotency_key=idempotency_key)
    return BuildingPayload(building=await load_building(info, await service.create_building(cmd, unit_of_work(info))))
