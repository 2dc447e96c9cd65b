from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._hazard import HazardPayload, hazard_payload, parse_hazard_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.hazards import service
from domain.hazards.commands import AssignHazard
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HAZARD_MANAGE)],
                     description="指派整改 Give a hazard its owner (a user with a role in the project) and deadline — the "
                                 "grade's when none is named; the ladder starts again from the new deadline.")
@user_errors(HazardPayload)
async def assign_hazard(info: Info, hazard_id: strawberry.ID, owner_id: strawberry.ID, deadline: datetime | None = None,
                        idempotency_key: IdempotencyKey = None) -> HazardPayload:
    cmd = AssignHazard(hazard_id=parse_hazard_id(hazard_id), owner_user_id=from_global_id(owner_id, "User", "ownerId"),
                       deadline=deadline, idempotency_key=idempotency_key)
    return await hazard_payload(info, await service.assign_hazard(cmd, unit_of_work(info)))
