"""What the archive's editing mutations return (their use cases: domain/archive/service.py): the
record as it now is, read after the commit, or the refusal in `errors`; and the rule of their
update inputs for a field that a record cannot be without."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from api.graphql.types.archive import Building, Unit
from api.graphql.types.errors import UserError
from api.graphql.types.resident import Resident
from domain.errors import invalid

V = TypeVar("V")


def kept(value: V | None, field: str) -> V | None:
    """A field left out (UNSET) keeps its value (None for the command); given as null it is refused,
    since it could mean 'keep' or 'clear' and a record cannot be without it."""
    if value is None:
        raise invalid(f"「{field}」不能为空（null），不修改请不传该字段。{field} cannot be null: leave it out to keep its value.",
                      field)
    return None if value is strawberry.UNSET else value


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
