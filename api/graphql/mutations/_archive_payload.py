"""What the archive's editing mutations return (their use cases: domain/archive/service.py): the
record as it now is, read after the commit, or the refusal in `errors`."""

from __future__ import annotations

import strawberry

from api.graphql.types.archive import Building, Unit
from api.graphql.types.errors import UserError
from api.graphql.types.resident import Resident


@strawberry.type
class BuildingPayload:
    building: Building | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UnitPayload:
    unit: Unit | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ResidentPayload:
    resident: Resident | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OccupancyPayload:
    occupancy_id: strawberry.ID | None = strawberry.field(default=None, description="The stay (入住) begun or ended.")
    resident: Resident | None = None
    unit: Unit | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
