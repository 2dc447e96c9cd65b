"""Domain events: what happened, to be written to the outbox in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Event:
    topic: str  # e.g. "project.created"
    org_id: UUID
    project_id: UUID | None
    payload: dict[str, Any]
    id: UUID = field(default_factory=uuid.uuid4)
