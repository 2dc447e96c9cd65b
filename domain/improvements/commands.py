from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True, slots=True)
class RaiseAction:
    project_id: UUID
    source: str
    source_id: UUID | None
    title: str
    description: str
    owner_user_id: UUID
    due_on: date
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CompleteAction:
    action_id: UUID
    evidence_note: str
    evidence_files: tuple[str, ...] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class VerifyAction:
    action_id: UUID
    passed: bool
    note: str | None = None
    new_due_on: date | None = None  # required when returned
    idempotency_key: str | None = None
