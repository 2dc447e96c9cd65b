from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import OccupancyPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive import load_unit
from api.graphql.types.node import from_global_id, to_global_id
from api.graphql.types.resident import load_resident
from domain.archive import service
from domain.archive.commands import MoveOut
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="迁出 End a stay: on or after its move-in, at most 31 days ahead. History keeps it.")
@user_errors(OccupancyPayload)
async def move_out_resident(info: Info, occupancy_id: strawberry.ID, moved_out_on: date,
                            idempotency_key: IdempotencyKey = None) -> OccupancyPayload:
    cmd = MoveOut(occupancy_id=from_global_id(occupancy_id, "Occupancy", "occupancyId"), moved_out_on=moved_out_on,
                  idempotency_key=idempotency_key)
    stay = await service.move_out(cmd, unit_of_work(info))
    return OccupancyPayload(occupancy_id=to_global_id("Occupancy", stay.id), resident=await load_resident(info, stay.resident_id),
                            unit=await load_unit(info, stay.unit_id))
