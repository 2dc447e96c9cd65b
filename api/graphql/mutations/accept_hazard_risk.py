from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._hazard import HazardPayload, hazard_payload, parse_hazard_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.hazards import service
from domain.hazards.commands import AcceptHazardRisk
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.HAZARD_VERIFY)],
                     description="风险接受 Keep a hazard as it is, knowingly, for the reason given (1–200 characters); "
                                 "the ladder stops.")
@user_errors(HazardPayload)
async def accept_hazard_risk(info: Info, hazard_id: strawberry.ID, reason: str,
                             idempotency_key: IdempotencyKey = None) -> HazardPayload:
    cmd = AcceptHazardRisk(hazard_id=parse_hazard_id(hazard_id), reason=reason, idempotency_key=idempotency_key)
    return await hazard_payload(info, await service.accept_hazard_risk(cmd, unit_of_work(info)))
