"""A knowledge article as a thing that changes: created, revised (each revision a new version,
the old ones kept as they were), switched off and on. Audit rows only: nobody outside needs an
event for a change of wording."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.knowledge.rules import ArticleDraft
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class Article(Aggregate):
    id: UUID
    org_id: UUID
    project_id: UUID | None
    kind: str
    title: str
    version: int
    active: bool

    def _audit(self, action: str, data: dict[str, Any]) -> None:
        self.audit.append(AuditEntry(action=action, entity="knowledge_article", entity_id=self.id,
                                     project_id=self.project_id, data=data))

    def created(self) -> None:
        self._audit("knowledge_article.created", {"kind": self.kind, "title": self.title, "version": self.version})

    def revise(self, draft: ArticleDraft, note: str | None) -> None:
        self.title, self.version = draft.title, self.version + 1
        self._audit("knowledge_article.revised", {"title": self.title, "version": self.version, "note": note})

    def set_active(self, active: bool) -> bool:
        """False when nothing changes (already so)."""
        if self.active == active:
            return False
        self.active = active
        self._audit("knowledge_article.activated" if active else "knowledge_article.deactivated", {"title": self.title})
        return True
