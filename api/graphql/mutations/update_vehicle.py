from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import VehiclePayload, cleared, given
from api.graphql.mutations._archive_payload import kept
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.belongings import VehicleKindType, load_vehicle
from api.graphql.types.node import from_global_id
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import UpdateVehicle
from domain.archive.kinds import VehicleKind
from tenants.roles import Permission


@strawberry.input(description="Fields left out keep their value; spaceId and validUntil given as null clear it, no other may be null.")
class UpdateVehicleInput:
    resident_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Another owner of the same project.")
    plate: str | None = strawberry.UNSET
    kind: VehicleKindType | None = strawberry.UNSET
    brand: str | None = strawberry.UNSET
    colour: str | None = strawberry.UNSET
    space_id: strawberry.ID | None = strawberry.UNSET
    valid_until: date | None = strawberry.UNSET


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="修改车辆 Edit a vehicle: its plate, owner, space or validity.")
@user_errors(VehiclePayload)
async def update_vehicle(info: Info, vehicle_id: strawberry.ID, input: UpdateVehicleInput,
                         idempotency_key: IdempotencyKey = None) -> VehiclePayload:
    space = given(input.space_id)
    owner, kind = kept(input.resident_id, "residentId"), kept(input.kind, "kind")
    cmd = UpdateVehicle(
        vehicle_id=from_global_id(vehicle_id, "Vehicle", "vehicleId"),
        resident_id=from_global_id(owner, "Resident", "residentId") if owner else None,
        plate=kept(input.plate, "plate"), kind=VehicleKind(kind) if kind else None, brand=kept(input.brand, "brand"),
        colour=kept(input.colour, "colour"),
        space_id=from_global_id(space, "ParkingSpace", "spaceId") if space else None, valid_until=given(input.valid_until),
        clear=cleared(space_id=input.space_id, valid_until=input.valid_until), idempotency_key=idempotency_key)
    done = await service.update_vehicle(cmd, unit_of_work(info))
    return VehiclePayload(vehicle=await load_vehicle(info, done.id))
