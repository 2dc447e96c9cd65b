"""What a directory change leaves behind. Each addition or removal — a company, project, staff
member, login, role grant or API key — is recorded as one audit row and one outbox event, written
by the unit of work at commit, in the change's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(kw_only=True)
class DirectoryChange(Aggregate):
    """One change to the company's directory; the audit row and event name the entity it is about."""

    org_id: UUID

    def record(self, topic: str, *, actor: str, entity: str, entity_id: UUID, project_id: UUID | None,
               data: dict[str, Any]) -> None:
        """The audit row's action is the event's topic; the event says who and on what."""
        self.audit.append(AuditEntry(action=topic, entity=entity, entity_id=entity_id, project_id=project_id,
                                     data=data, actor=actor))
        self.events.append(Event(topic=topic, org_id=self.org_id, project_id=project_id,
                                 payload={"entity_id": str(entity_id), "actor": actor, **data}))
