"""案例研判 and 内部通报 as things that change: a case's review and a bulletin, each collecting the
audit entries (and, on publication, the event) of what happened to it, which the unit of work
writes at commit. The rules they apply are in `domain/reviews/rules.py`; pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import invalid
from domain.events import Event
from domain.reviews.rules import BulletinDraft, Review, check_publishable, check_revisable, check_withdrawal
from domain.unit_of_work import Aggregate, AuditEntry


def review_content(review: Review) -> dict[str, Any]:
    return {"verdict": review.verdict, "root_cause_category": review.root_cause_category, "root_cause": review.root_cause,
            "lessons": review.lessons, "corrective_actions": review.corrective_actions, "tags": list(review.tags),
            "shared": review.shared}


@dataclass(kw_only=True)
class CaseReview(Aggregate):
    """A case's review as just saved (created when `revised` is False); every version is audited."""

    id: UUID
    project_id: UUID
    case_id: UUID
    version: int

    def saved(self, review: Review, *, revised: bool) -> None:
        self.audit.append(AuditEntry(action="case_review.revised" if revised else "case_review.created", entity="case_review",
                                     entity_id=self.id, project_id=self.project_id,
                                     data={**review_content(review), "case_id": str(self.case_id), "version": self.version}))


@dataclass(kw_only=True)
class Bulletin(Aggregate):
    id: UUID | None
    project_id: UUID
    department_id: UUID | None = None
    kind: str = ""
    title: str = ""
    body: str = ""
    month: date | None = None
    state: str = "draft"
    circulated: bool = False

    def check_rewrite(self, project_id: UUID) -> None:
        """A draft may be rewritten, in its own project only."""
        check_revisable(self.state)
        if self.project_id != project_id:
            raise invalid("草稿不能改到其他项目，请为其他项目另起一份通报。"
                          "A draft stays with its project; draft a new bulletin for another.", "projectId")

    def drafted(self, draft: BulletinDraft, *, revised: bool) -> None:
        self.audit.append(AuditEntry(action="bulletin.revised" if revised else "bulletin.drafted", entity="bulletin",
                                     entity_id=self.id, project_id=self.project_id, to_state="draft",
                                     data={"kind": draft.kind, "title": draft.title, "month": draft.month.isoformat(),
                                           "department_id": str(draft.department_id) if draft.department_id else None,
                                           "case_ids": [str(c) for c in draft.case_ids],
                                           "cited_figures": list(draft.cited_figures)}))

    def check_publishable(self) -> None:
        check_publishable(self.state)

    def published(self, snapshot: dict[str, Any], *, org_id: UUID, circulated_to: int, circulate: bool) -> None:
        """Announced (`bulletin.published`) and audited with the figures it froze."""
        assert self.id is not None and self.month is not None
        self.state, self.circulated = "published", circulate
        event = Event(topic="bulletin.published", org_id=org_id, project_id=self.project_id, payload={
            "bulletin_id": str(self.id), "kind": self.kind, "title": self.title, "month": self.month.isoformat(),
            "department_id": str(self.department_id) if self.department_id else None, "circulated_to": circulated_to})
        self.events.append(event)
        self.audit.append(AuditEntry(action="bulletin.published", entity="bulletin", entity_id=self.id, project_id=self.project_id,
                                     from_state="draft", to_state="published",
                                     data={**snapshot, "circulated_to": circulated_to}, event_id=event.id))

    def withdraw(self, reason: str | None) -> str:
        """The trimmed reason; only a published bulletin is withdrawn."""
        why = check_withdrawal(self.state, reason)
        self.state = "withdrawn"
        self.audit.append(AuditEntry(action="bulletin.withdrawn", entity="bulletin", entity_id=self.id, project_id=self.project_id,
                                     from_state="published", to_state="withdrawn", note=why))
        return why
