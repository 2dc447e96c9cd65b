from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import OccupancyPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive import OccupantRoleType, load_unit
from api.graphql.types.node import from_global_id, to_global_id
from api.graphql.types.resident import load_resident
from domain.archive import service
from domain.archive.commands import MoveIn
from domain.archive.kinds import OccupantRole
from tenants.roles import Permission


@strawberry.input
class MoveInResidentInput:
    unit_id: strawberry.ID
    resident_id: strawberry.ID
    role: OccupantRoleType
    moved_in_on: date | None = None
    primary_contact: bool = False


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="迁入 A resident begins a stay in a flat of their project.")
@user_errors(OccupancyPayload)
async def move_in_resident(info: Info, input: MoveInResidentInput, idempotency_key: IdempotencyKey = None) -> OccupancyPayload:
    cmd = MoveIn(unit_id=from_global_id(input.unit_id, "Unit", "unitId"),
                 resident_id=from_global_id(input.resident_id, "Resident", "residentId"), role=OccupantRole(input.role),
                 moved_in_on=input.moved_in_on, primary_contact=input.primary_contact, idempotency_key=idempotency_key)
    stay = await service.move_in(cmd, unit_of_work(info))
    return OccupancyPayload(occupancy_id=to_global_id("Occupancy", stay.id), resident=await load_resident(info, stay.resident_id),
                            unit=await load_unit(info, stay.unit_id))
