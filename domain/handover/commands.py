"""What a caller asks of the shift log (交接班). Ids are parsed before a command is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class OpenShiftLog:
    project_id: UUID
    department_id: UUID | None  # None: the service centre
    shift_start: datetime
    shift_end: datetime
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AddLogEntry:
    log_id: UUID
    kind: str  # note / open_item
    text: str
    case_id: UUID | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CloseLogItem:
    entry_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class HandOverShift:
    log_id: UUID
    summary: str = ""
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AcknowledgeHandover:
    log_id: UUID
    idempotency_key: str | None = None
