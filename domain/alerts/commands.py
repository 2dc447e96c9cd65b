"""What a caller asks of an alert. Ids are parsed and inputs checked before a command is made."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.alerts.rules import AlertSettings


@dataclass(frozen=True, slots=True)
class AcknowledgeAlert:
    alert_id: UUID
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ResolveAlert:
    alert_id: UUID
    note: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class SetAlertSettings:
    settings: AlertSettings
    idempotency_key: str | None = None
