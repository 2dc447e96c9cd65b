"""A corrective action as a thing that changes: raised, done with evidence, verified or returned.
Each step checks its state, collects its audit entry and the event its owner or integrators hear
of; the unit of work writes them at commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry


def _wrong_state(action: str, state: str) -> DomainError:
    zh = {"open": "整改中", "done": "待验证", "verified": "已验证"}[state]
    return DomainError(ErrorCode.INVALID_STATE, f"该整改措施{zh}，不能{action}。The action is {state}: it cannot be {action}d here.",
                       "actionId")


@dataclass(kw_only=True)
class Action(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID
    title: str
    owner_user_id: UUID
    due_on: date
    state: str
    source: str
    source_id: UUID | None = None
    returned_count: int = 0
    evidence_note: str | None = None
    evidence_files: tuple[str, ...] = field(default_factory=tuple)
    done_at: datetime | None = None
    done_by: str | None = None
    verified_at: datetime | None = None
    verified_by: str | None = None
    return_reason: str | None = None

    def _step(self, action: str, from_state: str | None, topic: str, data: dict[str, Any], note: str | None = None) -> None:
        payload = {"action_id": str(self.id), "title": self.title, "owner_user_id": str(self.owner_user_id),
                   "due_on": self.due_on.isoformat(), "state": self.state, **data}
        event = Event(topic=topic, org_id=self.org_id, project_id=self.project_id, payload=payload)
        self.events.append(event)
        self.audit.append(AuditEntry(action=action, entity="improvement_action", entity_id=self.id, project_id=self.project_id,
                                     from_state=from_state, to_state=self.state, note=note, data=data, event_id=event.id))

    def raised(self) -> None:
        self._step("improvement.raised", None, "improvement.raised",
                   {"source": self.source, "source_id": str(self.source_id) if self.source_id else None})

    def complete(self, *, note: str, files: tuple[str, ...], by: str, now: datetime) -> None:
        if self.state != "open":
            raise _wrong_state("complete", self.state)
        self.state, self.evidence_note, self.evidence_files, self.done_at, self.done_by = "done", note, files, now, by
        self._step("improvement.completed", "open", "improvement.completed",
                   {"late": now.date() > self.due_on, "files": len(files)})

    def verify(self, *, by: str, now: datetime) -> None:
        if self.state != "done":
            raise _wrong_state("verify", self.state)
        self.state, self.verified_at, self.verified_by = "verified", now, by
        self._step("improvement.verified", "done", "improvement.verified", {})

    def send_back(self, *, reason: str, due_on: date) -> None:
        if self.state != "done":
            raise _wrong_state("return", self.state)
        self.state, self.return_reason, self.due_on, self.returned_count = "open", reason, due_on, self.returned_count + 1
        self.done_at = self.done_by = None
        self._step("improvement.returned", "done", "improvement.returned", {"returned_count": self.returned_count}, note=reason)
