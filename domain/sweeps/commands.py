from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.hazards.commands import ReportHazard
from domain.sweeps.rules import SweepItem


@dataclass(frozen=True, slots=True)
class CreateSweep:
    title: str
    reason: str
    checklist: tuple[SweepItem, ...]
    due_at: datetime
    project_ids: tuple[UUID, ...] | None = None  # None: every project
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RecordSweepResult:
    sweep_id: UUID
    project_id: UUID
    item_code: str
    result: str
    note: str = ""
    hazard: ReportHazard | None = None  # with result hazard: what was found (its source is set here)
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SubmitSweep:
    sweep_id: UUID
    project_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateSweep:
    """What is given changes. A draft changes anything; a launched sweep its title, reason and due
    time (the checklist is fixed once launched); a closed one nothing."""
    sweep_id: UUID
    title: str | None = None
    reason: str | None = None
    checklist: tuple[SweepItem, ...] | None = None
    due_at: datetime | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CloseSweep:
    sweep_id: UUID
    note: str = ""
    idempotency_key: str | None = None
