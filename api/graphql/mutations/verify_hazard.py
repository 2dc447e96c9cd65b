from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._hazard import HazardPayload, hazard_payload, parse_hazard_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.hazards import service
from domain.hazards.commands import VerifyHazard
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HAZARD_VERIFY)],
                     description="复查验证 Someone other than the owner passes the rectification, or fails it with the "
                                 "reason (note) and a new deadline — back to rectifying, the ladder from the start.")
@user_errors(HazardPayload)
async def verify_hazard(info: Info, hazard_id: strawberry.ID, passed: bool, note: str | None = None,
                        new_deadline: datetime | None = None, idempotency_key: IdempotencyKey = None) -> HazardPayload:
    cmd = VerifyHazard(hazard_id=parse_hazard_id(hazard_id), passed=passed, note=note, new_deadline=new_deadline,
                       idempotency_key=idempotency_key)
    return await hazard_payload(info, await service.verify_hazard(cmd, unit_of_work(info)))
