from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class ReportHazard:
    project_id: UUID
    source: str
    source_id: UUID | None
    title: str
    category: str
    grade: str
    description: str = ""
    building_id: UUID | None = None
    unit_id: UUID | None = None
    place: str = ""
    photos: tuple[str, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AssignHazard:
    hazard_id: UUID
    owner_user_id: UUID
    deadline: datetime | None = None  # None: keep the one the grade gave
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RecordRectification:
    hazard_id: UUID
    note: str
    photos: tuple[str, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class VerifyHazard:
    hazard_id: UUID
    passed: bool
    note: str | None = None
    new_deadline: datetime | None = None  # required when it fails
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AcceptHazardRisk:
    hazard_id: UUID
    reason: str
    idempotency_key: str | None = None
