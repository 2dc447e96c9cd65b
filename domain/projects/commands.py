from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.projects.model import WorkingHours


@dataclass(frozen=True)
class SetWorkingHours:
    project_id: UUID
    hours: WorkingHours
    idempotency_key: str | None = None


@dataclass(frozen=True)
class UpdateProject:
    """Settings to change; a None leaves that one as it is."""

    project_id: UUID
    resident_rating: bool | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class CompleteProvisioning:
    """What the worker does on `project.created` (event `event_id`)."""

    project_id: UUID
    event_id: UUID
