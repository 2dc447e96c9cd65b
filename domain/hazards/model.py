"""A hazard as a thing that changes: reported, assigned, rectified, verified or sent back, or its
risk accepted. Each step checks its state and collects its audit entry and event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode
from domain.events import Event
from domain.hazards.rules import STATE_LABELS
from domain.unit_of_work import Aggregate, AuditEntry


def _wrong_state(action: str, state: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, f"该隐患{STATE_LABELS[state]}，不能{action}。The hazard is {state}.", "hazardId")


@dataclass(kw_only=True)
class Hazard(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID
    number: str
    title: str
    grade: str
    state: str
    deadline: datetime
    owner_user_id: UUID | None = None
    rectification_note: str | None = None
    rectification_photos: tuple[str, ...] = field(default_factory=tuple)
    rectified_at: datetime | None = None
    rectified_by: str | None = None
    verified_at: datetime | None = None
    verified_by: str | None = None
    verify_note: str | None = None
    failed_count: int = 0
    accepted_reason: str | None = None
    accepted_by: str | None = None

    def _step(self, action: str, from_state: str | None, data: dict[str, Any], note: str | None = None) -> None:
        payload = {"hazard_id": str(self.id), "number": self.number, "title": self.title, "grade": self.grade,
                   "state": self.state, "deadline": self.deadline.isoformat(),
                   "owner_user_id": str(self.owner_user_id) if self.owner_user_id else None, **data}
        event = Event(topic=action, org_id=self.org_id, project_id=self.project_id, payload=payload)
        self.events.append(event)
        self.audit.append(AuditEntry(action=action, entity="hazard", entity_id=self.id, project_id=self.project_id,
                                     from_state=from_state, to_state=self.state, note=note, data=data, event_id=event.id))

    def reported(self, source: str) -> None:
        self._step("hazard.reported", None, {"source": source})

    def assign(self, *, owner: UUID, deadline: datetime) -> None:
        if self.state not in ("open", "rectifying"):
            raise _wrong_state("指派", self.state)
        before, self.state, self.owner_user_id, self.deadline = self.state, "rectifying", owner, deadline
        self._step("hazard.assigned", before, {})

    def rectify(self, *, note: str, photos: tuple[str, ...], by: str, now: datetime) -> None:
        if self.state != "rectifying":
            raise _wrong_state("提交整改", self.state)
        self.state, self.rectification_note, self.rectification_photos = "rectified", note, photos
        self.rectified_at, self.rectified_by = now, by
        self._step("hazard.rectified", "rectifying", {"late": now > self.deadline, "photos": len(photos)})

    def verify(self, *, by: str, now: datetime, note: str | None) -> None:
        if self.state != "rectified":
            raise _wrong_state("验证", self.state)
        self.state, self.verified_at, self.verified_by, self.verify_note = "verified", now, by, note
        self._step("hazard.verified", "rectified", {}, note=note)

    def fail(self, *, reason: str, deadline: datetime) -> None:
        if self.state != "rectified":
            raise _wrong_state("验证", self.state)
        self.state, self.verify_note, self.deadline, self.failed_count = "rectifying", reason, deadline, self.failed_count + 1
        self._step("hazard.returned", "rectified", {"failed_count": self.failed_count}, note=reason)

    def accept_risk(self, *, reason: str, by: str) -> None:
        if self.state in ("verified", "accepted"):
            raise _wrong_state("接受风险", self.state)
        before, self.state, self.accepted_reason, self.accepted_by = self.state, "accepted", reason, by
        self._step("hazard.risk_accepted", before, {}, note=reason)
