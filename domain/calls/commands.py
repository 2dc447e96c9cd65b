from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class AddTelephonyIntegration:
    project_id: UUID
    name: str
    ring_seconds: int = 5
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RotateTelephonyIntegrationSecret:
    integration_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetTelephonyIntegrationActive:
    integration_id: UUID
    active: bool
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class LinkCallToCase:
    call_id: UUID
    case_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReceiveCall:
    """A call as the telephony system tells it once it has ended."""

    integration_id: UUID
    project_id: UUID
    external_id: str
    direction: str  # in / out
    caller_phone: str
    queued_at: datetime
    answered_at: datetime | None
    ended_at: datetime
    agent_username: str | None = None
    case_id: UUID | None = None
