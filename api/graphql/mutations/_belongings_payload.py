"""What the mutations of residents' contacts, spaces, vehicles and pets return (their use cases:
domain/archive/belongings_service.py): the record as it now is, read after the commit, or the
refusal in `errors`; and the one rule their update inputs share for a field given as null."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry

from api.graphql.types.belongings import ParkingSpace, Pet, ResidentContact, Vehicle
from api.graphql.types.errors import UserError
from api.graphql.types.resident import Resident

V = TypeVar("V")


def given(value: V | None) -> V | None:
    """A field left out (UNSET) keeps its value, as one given None does; `cleared` tells them apart."""
    return None if value is strawberry.UNSET else value


def cleared(**fields: Any) -> frozenset[str]:
    """The names (as the command spells them) of the fields given explicitly as null."""
    return frozenset(name for name, value in fields.items() if value is None)


@strawberry.type
class ContactPayload:
    contact: ResidentContact | None = None
    resident: Resident | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ParkingSpacePayload:
    parking_space: ParkingSpace | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VehiclePayload:
    vehicle: Vehicle | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PetPayload:
    pet: Pet | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemovalPayload:
    removed_id: strawberry.ID | None = strawberry.field(default=None, description="The record removed.")
    resident: Resident | None = strawberry.field(default=None, description="Whose it was, with their lists as they now are.")
    errors: list[UserError] = strawberry.field(default_factory=list)
