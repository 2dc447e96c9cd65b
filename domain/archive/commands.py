"""What a caller asks of the archive (docs/archive.md §5.2). Ids are parsed before a command is
made; the rules (domain/archive/model.py) check the rest inside the use case. In an update, a
field left None keeps its value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.archive.kinds import IdKind, OccupantRole, ResidentKind, UnitUse


@dataclass(frozen=True, slots=True)
class CreateBuilding:
    project_id: UUID
    name: str
    floors: int
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateBuilding:
    building_id: UUID
    name: str | None = None
    floors: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreateUnit:
    building_id: UUID
    number: str
    floor: int
    entrance: str = ""
    area_m2: float | None = None
    use: UnitUse = UnitUse.RESIDENTIAL
    vacant: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateUnit:
    unit_id: UUID
    entrance: str | None = None
    number: str | None = None
    floor: int | None = None
    area_m2: float | None = None
    clear_area: bool = False  # the area given as null: unknown again
    use: UnitUse | None = None
    vacant: bool | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RegisterResident:
    """The person and, with a flat, their first stay."""

    project_id: UUID
    name: str
    kind: ResidentKind = ResidentKind.PERSON
    phone: str | None = None
    id_kind: IdKind | None = None
    id_number: str | None = None
    note: str = ""
    unit_id: UUID | None = None
    role: OccupantRole = OccupantRole.OWNER
    moved_in_on: date | None = None
    primary_contact: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateResident:
    """A phone or ID number given as "" is removed."""

    resident_id: UUID
    name: str | None = None
    kind: ResidentKind | None = None
    phone: str | None = None
    id_kind: IdKind | None = None
    id_number: str | None = None
    note: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ConfirmResident:
    resident_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class MoveIn:
    unit_id: UUID
    resident_id: UUID
    role: OccupantRole
    moved_in_on: date | None = None
    primary_contact: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class MoveOut:
    occupancy_id: UUID
    moved_out_on: date
    idempotency_key: str | None = None
