"""An alert's lifecycle, as the people who handle it move it: open → acknowledged (someone is on
it) → resolved (with a note of what was done). Resolving an open alert acknowledges it on the way.
A resolved alert is done: the rule may open a new one for the same scope afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.alerts.rules import AlertSettings
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry

NOTE_LIMIT = 2000


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


def resolution_note(note: str | None) -> str:
    """What was done, trimmed: required, and at most 2,000 characters."""
    note = (note or "").strip()
    if not 1 <= len(note) <= NOTE_LIMIT:
        raise invalid("请填写处置说明（1 到 2000 字）。Say what was done (1–2,000 characters).", "note")
    return note


@dataclass(kw_only=True)
class Alert(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID
    state: AlertState
    acknowledged_by: str | None = None
    resolved_by: str | None = None
    resolution_note: str | None = None

    def acknowledge(self, *, by: str) -> None:
        if self.state is not AlertState.OPEN:
            reason = (ErrorReason.ALERT_ALREADY_RESOLVED if self.state is AlertState.RESOLVED
                      else ErrorReason.ALERT_ALREADY_ACKNOWLEDGED)
            raise DomainError(ErrorCode.INVALID_STATE, "该预警已签收或已处置，无需再签收。"
                                                       f"An alert that is {self.state.value} cannot be acknowledged.",
                              reason=reason)
        self.state = AlertState.ACKNOWLEDGED
        self.acknowledged_by = by
        self._changed("alert.acknowledged", by, {})

    def resolve(self, note: str, *, by: str) -> None:
        note = resolution_note(note)
        if self.state is AlertState.RESOLVED:
            raise DomainError(ErrorCode.INVALID_STATE, "该预警已处置。This alert is already resolved.",
                              reason=ErrorReason.ALERT_ALREADY_RESOLVED)
        self.state = AlertState.RESOLVED
        self.acknowledged_by = self.acknowledged_by or by
        self.resolved_by = by
        self.resolution_note = note
        self._changed("alert.resolved", by, {"note": note})

    def _changed(self, action: str, by: str, data: dict[str, str]) -> None:
        self.audit.append(AuditEntry(action=action, entity="alert", entity_id=self.id, project_id=self.project_id,
                                     data=data, actor=by))
        # Announced like any change, so that live subscribers hear of it at commit.
        self.events.append(Event(topic=action, org_id=self.org_id, project_id=self.project_id,
                                 payload={"alert_id": str(self.id), "actor": by}))


@dataclass(kw_only=True)
class CompanyAlertSettings(Aggregate):
    """预警阈值 The company's risk words and thresholds as they are set (the rules: AlertSettings.check)."""

    org_id: UUID
    settings: AlertSettings = field(default_factory=AlertSettings)

    def set(self, chosen: AlertSettings, *, by: str) -> None:
        self.settings = chosen.check()
        self.audit.append(AuditEntry(action="alerts.settings_set", entity="alert_settings", entity_id=None,
                                     data=settings_values(self.settings), actor=by))


def settings_values(s: AlertSettings) -> dict[str, Any]:
    """As stored: the risk words as a list."""
    return {f.name: list(s.risk_words) if f.name == "risk_words" else getattr(s, f.name) for f in fields(AlertSettings)}
