"""What a caller asks of the company's SLA set-up. Ids are parsed and values converted before a
command is made; `request` is the input as the idempotency key remembers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.sla.policy import Ladder, Policy


@dataclass(frozen=True, slots=True)
class SetSlaPolicy:
    project_id: UUID | None  # None: the company default
    kind: str
    severity: str
    policy: Policy  # as given; the model checks it
    request: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RemoveSlaOverride:
    project_id: UUID
    kind: str
    severity: str
    request: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetEscalationLadder:
    ladder: Ladder
    request: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetCalendarDay:
    day: date
    working: bool
    name: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RemoveCalendarDay:
    day: date
    idempotency_key: str | None = None
