"""What the sweep mutations share: the payload and the id parser."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.hazard import Hazard, hazard
from api.graphql.types.node import from_global_id
from api.graphql.types.sweep import Sweep, sweep


@strawberry.type
class SweepPayload:
    sweep: Sweep | None = None
    hazard: Hazard | None = strawberry.field(default=None, description="The hazard a HAZARD result put on the register.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def sweep_payload(info: Info, sweep_id: UUID, hazard_id: UUID | None = None) -> SweepPayload:
    return SweepPayload(sweep=await sweep(info, sweep_id), hazard=await hazard(info, hazard_id) if hazard_id else None)


def parse_sweep_id(value: strawberry.ID) -> UUID:
    return from_global_id(value, "Sweep", "sweepId")
