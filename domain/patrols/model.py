"""A patrol run as a thing that changes: scheduled, started by its walker, visited point by point,
finished (with points unvisited if so), missed, or cancelled by a manager. Each step checks the
state and the window and collects its audit entry and event; the unit of work writes them at commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.events import Event
from domain.patrols.rules import RUN_STATE_LABELS
from domain.unit_of_work import Aggregate, AuditEntry

BEIJING = timezone(timedelta(hours=8))


def closed(due_from: datetime, due_until: datetime) -> DomainError:
    window = f"{due_from.astimezone(BEIJING):%m-%d %H:%M}–{due_until.astimezone(BEIJING):%m-%d %H:%M}"
    return DomainError(ErrorCode.OUT_OF_WINDOW, f"不在巡查时段内（{window}），不能打卡。The run's window ({window} Beijing) "
                       "is not open.", "runId", reason=ErrorReason.PATROL_CLOSED)


@dataclass(kw_only=True)
class Run(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID
    plan_id: UUID
    route_id: UUID
    due_from: datetime
    due_until: datetime
    state: str
    points_total: int
    points_done: int
    assignee_user_id: UUID | None
    department_id: UUID | None
    started_by: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None

    def _step(self, topic: str, from_state: str | None, data: dict[str, Any]) -> None:
        payload = {"run_id": str(self.id), "plan_id": str(self.plan_id), "route_id": str(self.route_id),
                   "due_from": self.due_from.isoformat(), "due_until": self.due_until.isoformat(), "state": self.state,
                   "points_total": self.points_total, "points_done": self.points_done, **data}
        event = Event(topic=topic, org_id=self.org_id, project_id=self.project_id, payload=payload)
        self.events.append(event)
        self.audit.append(AuditEntry(action=topic, entity="patrol_run", entity_id=self.id, project_id=self.project_id,
                                     from_state=from_state, to_state=self.state, data=data, event_id=event.id))

    def _open(self, action: str, now: datetime) -> None:
        if self.state not in ("scheduled", "in_progress"):
            zh = RUN_STATE_LABELS[self.state]
            raise DomainError(ErrorCode.INVALID_STATE, f"该巡查任务{zh}，不能{action}。The run is {self.state}.", "runId")
        if not self.due_from <= now < self.due_until:
            raise closed(self.due_from, self.due_until)

    def start(self, *, by: str, now: datetime) -> None:
        self._open("开始", now)
        if self.state == "in_progress":
            return  # started already (by a colleague of the department): walking on is fine
        self.state, self.started_by, self.started_at = "in_progress", by, now
        self._step("patrol.started", "scheduled", {"by": by})

    def visited(self, *, by: str, now: datetime, first_time: bool) -> None:
        """A point recorded: the run starts with its first visit if nobody pressed start."""
        self._open("打卡", now)
        if self.state == "scheduled":
            self.state, self.started_by, self.started_at = "in_progress", by, now
            self._step("patrol.started", "scheduled", {"by": by})
        if first_time:
            self.points_done += 1

    def finish(self, *, by: str, now: datetime) -> None:
        self._open("结束", now)
        before = self.state
        self.state, self.finished_at = "done", now
        if self.started_at is None:
            self.started_at, self.started_by = now, by
        self._step("patrol.finished", before, {"by": by, "unvisited": self.points_total - self.points_done})

    def cancel(self, *, by: str, reason: str, now: datetime) -> None:
        """取消: a run not done nor missed, at any time; it never counts as missed."""
        if self.state not in ("scheduled", "in_progress"):
            zh = RUN_STATE_LABELS[self.state]
            raise DomainError(ErrorCode.INVALID_STATE, f"该巡查任务{zh}，不能取消。The run is {self.state}.", "runId")
        before = self.state
        self.state, self.cancelled_at, self.cancelled_by, self.cancel_reason = "cancelled", now, by, reason
        self._step("patrol.cancelled", before, {"by": by, "reason": reason, "with": "run"})
