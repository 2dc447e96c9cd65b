from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import ParkingSpacePayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.belongings import SpaceTenureType, load_parking_space
from api.graphql.types.node import from_global_id
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import CreateParkingSpace
from domain.archive.kinds import SpaceTenure
from tenants.roles import Permission


@strawberry.input(description="A space of a project; its flat and holder, when given, of the same project.")
class CreateParkingSpaceInput:
    project_id: strawberry.ID
    number: str = strawberry.field(description="车位号")
    area: str = strawberry.field(default="", description="停车区, e.g. 地下B1")
    tenure: SpaceTenureType = SpaceTenure.OWNED
    unit_id: strawberry.ID | None = None
    holder_id: strawberry.ID | None = strawberry.field(default=None, description="持有人: a resident (not for public spaces).")
    lease_until: date | None = strawberry.field(default=None, description="租期至 (leased spaces only)")


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)], description="新增车位 Add a parking space.")
@user_errors(ParkingSpacePayload)
async def create_parking_space(info: Info, input: CreateParkingSpaceInput,
                               idempotency_key: IdempotencyKey = None) -> ParkingSpacePayload:
    cmd = CreateParkingSpace(
        project_id=from_global_id(input.project_id, "Project", "projectId"), number=input.number, area=input.area,
        tenure=SpaceTenure(input.tenure), unit_id=from_global_id(input.unit_id, "Unit", "unitId") if input.unit_id else None,
        holder_id=from_global_id(input.holder_id, "Resident", "holderId") if input.holder_id else None,
        lease_until=input.lease_until, idempotency_key=idempotency_key)
    done = await service.create_parking_space(cmd, unit_of_work(info))
    return ParkingSpacePayload(parking_space=await load_parking_space(info, done.id))
