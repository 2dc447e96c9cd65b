from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import VehiclePayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.belongings import VehicleKindType, load_vehicle
from api.graphql.types.node import from_global_id
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import RegisterVehicle
from domain.archive.kinds import VehicleKind
from tenants.roles import Permission


@strawberry.input(description="A resident's vehicle; its space, when given, of the same project.")
class RegisterVehicleInput:
    resident_id: strawberry.ID
    plate: str = strawberry.field(description="车牌号, e.g. 京A·12345 (stored as 京A12345)")
    kind: VehicleKindType = VehicleKind.CAR
    brand: str = ""
    colour: str = ""
    space_id: strawberry.ID | None = None
    valid_until: date | None = strawberry.field(default=None, description="有效期至")


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="登记车辆 Register a resident's vehicle; a plate is registered once per project.")
@user_errors(VehiclePayload)
async def register_vehicle(info: Info, input: RegisterVehicleInput, idempotency_key: IdempotencyKey = None) -> VehiclePayload:
    cmd = RegisterVehicle(
        resident_id=from_global_id(input.resident_id, "Resident", "residentId"), plate=input.plate,
        kind=VehicleKind(input.kind), brand=input.brand, colour=input.colour,
        space_id=from_global_id(input.space_id, "ParkingSpace", "spaceId") if input.space_id else None,
        valid_until=input.valid_until, idempotency_key=idempotency_key)
    done = await service.register_vehicle(cmd, unit_of_work(info))
    return VehiclePayload(vehicle=await load_vehicle(info, done.id))
