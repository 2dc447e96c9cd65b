"""What the hazard mutations share: the payload and the id parser."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.hazard import Hazard, hazard
from api.graphql.types.node import from_global_id


@strawberry.type
class HazardPayload:
    hazard: Hazard | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def hazard_payload(info: Info, hazard_id: UUID) -> HazardPayload:
    return HazardPayload(hazard=await hazard(info, hazard_id))


def parse_hazard_id(value: strawberry.ID) -> UUID:
    return from_global_id(value, "Hazard", "hazardId")
