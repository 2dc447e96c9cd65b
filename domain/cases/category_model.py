"""工单类别 A case category as a thing that changes: added with a code that never changes, relabelled,
archived or brought back. Each change records its audit entry and event; the unit of work writes
them at commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from domain.cases.taxonomy import CODE, Labels
from domain.errors import invalid
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class Category(Aggregate):
    org_id: UUID
    id: UUID
    code: str
    name: str
    name_en: str
    kinds: list[str] | None  # None: every kind
    sort: int | None  # None only for a new category: placed after the others
    archived: bool = False

    @classmethod
    def add(cls, *, org_id: UUID, code: str, labels: Labels, by: str) -> Category:
        code = code.strip()
        if not CODE.match(code):
            raise invalid("分类代码 code 须为 1 到 40 个小写字母、数字或下划线。"
                          "code must be 1–40 lower-case letters, digits or '_', e.g. water_power.", "code")
        labels = labels.checked()
        category = cls(org_id=org_id, id=uuid4(), code=code, name=labels.name, name_en=labels.name_en,
                       kinds=labels.params()["kinds"], sort=labels.sort)
        category._changed("case_category.added", by)
        return category

    def relabel(self, labels: Labels, *, by: str) -> None:
        """Renames (and re-sorts, re-scopes) the category; its code stays, so clients keep sending it."""
        labels = labels.checked()
        self.name, self.name_en, self.kinds = labels.name, labels.name_en, labels.params()["kinds"]
        self.sort = self.sort if labels.sort is None else labels.sort
        self._changed("case_category.changed", by)

    def set_archived(self, archived: bool, *, by: str) -> None:
        self.archived = archived
        self._changed("case_category.archived" if archived else "case_category.restored", by)

    def _changed(self, topic: str, by: str) -> None:
        data: dict[str, Any] = {"code": self.code, "name": self.name, "name_en": self.name_en, "kinds": self.kinds,
                                "archived": self.archived}
        self.audit.append(AuditEntry(action=topic, entity="case_category", entity_id=self.id, data=data))
        self.events.append(Event(topic=topic, org_id=self.org_id, project_id=None,
                                 payload={"entity_id": str(self.id), "actor": by, **data}))
