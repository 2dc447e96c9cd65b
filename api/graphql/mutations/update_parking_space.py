from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import ParkingSpacePayload, cleared, given
from api.graphql.mutations._archive_payload import kept
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.belongings import SpaceTenureType, load_parking_space
from api.graphql.types.node import from_global_id
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import UpdateParkingSpace
from domain.archive.kinds import SpaceTenure
from tenants.roles import Permission


@strawberry.input(description="Fields left out keep their value; unitId, holderId and leaseUntil given as null clear it, "
                                "no other may be null.")
class UpdateParkingSpaceInput:
    area: str | None = strawberry.UNSET
    number: str | None = strawberry.UNSET
    tenure: SpaceTenureType | None = strawberry.UNSET
    unit_id: strawberry.ID | None = strawberry.UNSET
    holder_id: strawberry.ID | None = strawberry.UNSET
    lease_until: date | None = strawberry.UNSET


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="修改车位 Edit a parking space: its number, tenure, flat, holder or lease.")
@user_errors(ParkingSpacePayload)
async def update_parking_space(info: Info, space_id: strawberry.ID, input: UpdateParkingSpaceInput,
                               idempotency_key: IdempotencyKey = None) -> ParkingSpacePayload:
    unit, holder = given(input.unit_id), given(input.holder_id)
    tenure = kept(input.tenure, "tenure")
    cmd = UpdateParkingSpace(
        space_id=from_global_id(space_id, "ParkingSpace", "spaceId"), area=kept(input.area, "area"),
        number=kept(input.number, "number"), tenure=SpaceTenure(tenure) if tenure else None,
        unit_id=from_global_id(unit, "Unit", "unitId") if unit else None,
        holder_id=from_global_id(holder, "Resident", "holderId") if holder else None, lease_until=given(input.lease_until),
        clear=cleared(unit_id=input.unit_id, holder_id=input.holder_id, lease_until=input.lease_until),
        idempotency_key=idempotency_key)
    done = await service.update_parking_space(cmd, unit_of_work(info))
    return ParkingSpacePayload(parking_space=await load_parking_space(info, done.id))
