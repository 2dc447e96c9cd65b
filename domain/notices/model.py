"""A notice as a thing that changes: each step checks its rule (domain/notices/rules.py) and
collects the audit entry and, when residents or channels must hear of it, the event — written by
the unit of work at commit. Events and audit rows carry ids, the kind and the title, never the body."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.errors import invalid
from domain.events import Event
from domain.notices.rules import (
    NoticeDraft,
    check_approvable,
    check_editable,
    check_returnable,
    check_withdrawal,
    publishes_now,
    urgent,
)
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class Notice(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID
    kind: str
    title: str
    audience: str
    state: str
    author: str
    publish_at: datetime | None = None
    expires_at: datetime | None = None
    channel_ids: tuple[UUID, ...] = field(default_factory=tuple)
    approver: str | None = None
    returned_note: str | None = None
    published_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdraw_reason: str | None = None

    def _audit(self, action: str, from_state: str | None, *, note: str | None = None, data: dict[str, Any] | None = None,
               event: Event | None = None, actor: str | None = None) -> None:
        self.audit.append(AuditEntry(action=action, entity="notice", entity_id=self.id, project_id=self.project_id,
                                     from_state=from_state, to_state=self.state, note=note, data=data, actor=actor,
                                     event_id=event.id if event else None))

    def _facts(self) -> dict[str, Any]:
        return {"notice_id": str(self.id), "kind": self.kind, "urgent": urgent(self.kind), "title": self.title,
                "audience": self.audience, "channel_ids": [str(c) for c in self.channel_ids]}

    def drafted(self, draft: NoticeDraft, *, revised: bool) -> None:
        self.kind, self.title, self.audience = draft.kind, draft.title, draft.audience
        self.publish_at, self.expires_at, self.channel_ids = draft.publish_at, draft.expires_at, draft.channel_ids
        self._audit("notice.updated" if revised else "notice.drafted", "draft" if revised else None, data={
            "kind": draft.kind, "title": draft.title, "audience": draft.audience, "buildings": len(draft.building_ids),
            "units": len(draft.unit_ids), "publish_at": _iso(draft.publish_at), "expires_at": _iso(draft.expires_at),
            "channel_ids": [str(c) for c in draft.channel_ids]})

    def check_editable(self) -> None:
        check_editable(self.state)

    def submit(self) -> None:
        check_editable(self.state)
        self.state, self.returned_note = "pending", None
        self._audit("notice.submitted", "draft")

    def approve(self, *, by: str, now: datetime) -> None:
        """Published now, or scheduled for its publish time; nothing about it changes after this."""
        check_approvable(self.state, self.kind, author=self.author, approver=by)
        if self.expires_at is not None and self.expires_at <= now:
            raise invalid("通知已过失效时间，请修改后重新提交。The notice's expiresAt has passed; edit and submit it again.",
                          "expiresAt")
        before, self.approver = self.state, by
        at_once = publishes_now(self.publish_at, now)
        self.audit.append(AuditEntry(action="notice.approved", entity="notice", entity_id=self.id, project_id=self.project_id,
                                     from_state=before, to_state="published" if at_once else "scheduled",
                                     data={"publish_at": _iso(self.publish_at)}))
        if at_once:
            self._publish(now=now, before=before, actor=None)
        else:
            self.state = "scheduled"

    def publish(self, *, now: datetime, actor: str) -> None:
        """By the schedule sweep at `publish_at`."""
        assert self.state == "scheduled"
        self._publish(now=now, before="scheduled", actor=actor)

    def _publish(self, *, now: datetime, before: str, actor: str | None) -> None:
        """The fan-out consumer finds the flats; the deliveries consumer tells the chosen channels."""
        self.state, self.published_at = "published", now
        event = Event(topic="notice.published", org_id=self.org_id, project_id=self.project_id,
                      payload={**self._facts(), "published_at": now.isoformat(), "expires_at": _iso(self.expires_at)})
        self.events.append(event)
        self._audit("notice.published", before, event=event, actor=actor)

    def return_(self, note: str | None) -> None:
        why = check_returnable(self.state, note)
        self.state, self.returned_note = "draft", why
        self._audit("notice.returned", "pending", note=why)

    def withdraw(self, reason: str | None, *, by: str, now: datetime) -> None:
        why = check_withdrawal(self.state, reason)
        before = self.state
        self.state, self.withdrawn_at, self.withdrawn_by, self.withdraw_reason = "withdrawn", now, by, why
        event = None
        if before == "published":  # a scheduled notice reached no one: nobody to tell
            event = Event(topic="notice.withdrawn", org_id=self.org_id, project_id=self.project_id, payload=self._facts())
            self.events.append(event)
        self._audit("notice.withdrawn", before, note=why, event=event)

    def expire(self, *, actor: str) -> None:
        assert self.state == "published"
        self.state = "expired"
        self._audit("notice.expired", "published", actor=actor)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(kw_only=True)
class UnreadExport(Aggregate):
    notice_id: UUID
    project_id: UUID

    def taken(self, rows: int) -> None:
        self.audit.append(AuditEntry(action="notice.unread_exported", entity="notice", entity_id=self.notice_id,
                                     project_id=self.project_id, data={"rows": rows}))
