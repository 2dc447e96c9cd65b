from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._hazard import HazardPayload, hazard_payload, parse_hazard_id
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.hazards import service
from domain.hazards.commands import RecordRectification
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.PROJECT_READ)],
                     description="整改完成 The owner (or a holder of hazard:manage) says what was done, with up to nine "
                                 "https:// photos; the ladder stops and the hazard waits for verification.")
@user_errors(HazardPayload)
async def record_hazard_rectification(info: Info, hazard_id: strawberry.ID, note: str, photos: list[str] | None = None,
                                      idempotency_key: IdempotencyKey = None) -> HazardPayload:
    cmd = RecordRectification(hazard_id=parse_hazard_id(hazard_id), note=note, photos=tuple(photos or ()),
                              idempotency_key=idempotency_key)
    return await hazard_payload(info, await service.record_rectification(cmd, unit_of_work(info)))
