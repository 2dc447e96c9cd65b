"""What a caller asks of a resident's contacts, spaces, vehicles and pets (docs/archive.md §5.2).
In an update a field left None keeps its value; `clear` names the fields given as null, emptied
(snake_case, as the aggregate names them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from domain.archive.kinds import ContactKind, PetSpecies, SpaceTenure, VehicleKind


@dataclass(frozen=True, slots=True)
class AddContact:
    resident_id: UUID
    kind: ContactKind
    value: str
    label: str = ""
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RemoveContact:
    contact_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreateParkingSpace:
    project_id: UUID
    number: str
    area: str = ""
    tenure: SpaceTenure = SpaceTenure.OWNED
    unit_id: UUID | None = None
    holder_id: UUID | None = None
    lease_until: date | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateParkingSpace:
    space_id: UUID
    area: str | None = None
    number: str | None = None
    tenure: SpaceTenure | None = None
    unit_id: UUID | None = None
    holder_id: UUID | None = None
    lease_until: date | None = None
    clear: frozenset[str] = field(default_factory=frozenset)  # unit_id, holder_id, lease_until
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RegisterVehicle:
    resident_id: UUID
    plate: str
    kind: VehicleKind = VehicleKind.CAR
    brand: str = ""
    colour: str = ""
    space_id: UUID | None = None
    valid_until: date | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateVehicle:
    vehicle_id: UUID
    resident_id: UUID | None = None  # another owner of the same project
    plate: str | None = None
    kind: VehicleKind | None = None
    brand: str | None = None
    colour: str | None = None
    space_id: UUID | None = None
    valid_until: date | None = None
    clear: frozenset[str] = field(default_factory=frozenset)  # space_id, valid_until
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RemoveVehicle:
    vehicle_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RegisterPet:
    resident_id: UUID
    name: str
    species: PetSpecies
    unit_id: UUID | None = None
    breed: str = ""
    licence_no: str = ""
    vaccinated_on: date | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdatePet:
    pet_id: UUID
    resident_id: UUID | None = None
    unit_id: UUID | None = None
    name: str | None = None
    species: PetSpecies | None = None
    breed: str | None = None
    licence_no: str | None = None
    vaccinated_on: date | None = None
    clear: frozenset[str] = field(default_factory=frozenset)  # unit_id, vaccinated_on
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RemovePet:
    pet_id: UUID
    idempotency_key: str | None = None
