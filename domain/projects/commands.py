from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.projects.model import WorkingHours


@dataclass(frozen=True)
class SetWorkingHours:
    project_id: UUID
    hours: WorkingHours
    idempotency_key: str | None = None
