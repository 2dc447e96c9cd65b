from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._belongings_payload import RemovalPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id, to_global_id
from api.graphql.types.resident import load_resident
from domain.archive import belongings_service as service
from domain.archive.belongings_commands import RemoveVehicle
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="删除车辆 Remove a vehicle from the archive (the audit log keeps that it was).")
@user_errors(RemovalPayload)
async def remove_vehicle(info: Info, vehicle_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> RemovalPayload:
    cmd = RemoveVehicle(vehicle_id=from_global_id(vehicle_id, "Vehicle", "vehicleId"), idempotency_key=idempotency_key)
    done = await service.remove_vehicle(cmd, unit_of_work(info))
    return RemovalPayload(removed_id=to_global_id("Vehicle", done.id), resident=await load_resident(info, done.resident_id))
