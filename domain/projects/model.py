"""工作时间: the hours working-hours SLA clocks count on each working day (Beijing time). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from uuid import UUID

from domain.errors import invalid
from domain.unit_of_work import Aggregate, AuditEntry


@dataclass(frozen=True)
class WorkingHours:
    opens: time
    closes: time

    def __post_init__(self) -> None:
        # The database holds the same rule (projects_work_hours); this one names the field.
        if self.closes <= self.opens:
            raise invalid("下班时间须晚于上班时间。Working hours must close after they open.", "closes")


@dataclass(kw_only=True)
class ProjectSettings(Aggregate):
    """A project's settings as they change; each change leaves its audit entry."""

    id: UUID
    hours: WorkingHours | None = None
    resident_rating: bool = True

    def set_working_hours(self, hours: WorkingHours, *, by: str) -> None:
        self.hours = hours
        self.audit.append(AuditEntry(action="project.working_hours_set", entity="project", entity_id=self.id,
                                     project_id=self.id, actor=by,
                                     data={"opens": hours.opens.isoformat(), "closes": hours.closes.isoformat()}))

    def set_resident_rating(self, on: bool, *, by: str) -> None:
        """住户评价: whether residents rate their own finished cases (docs/resident-services.md §2.4)."""
        if on == self.resident_rating:
            return
        self.resident_rating = on
        self.audit.append(AuditEntry(action="project.resident_rating_set", entity="project", entity_id=self.id,
                                     project_id=self.id, actor=by, data={"on": on}))


@dataclass(kw_only=True)
class ProvisionedProject(Aggregate):
    """A new project the provisioning worker has completed. Its audit row names the
    `project.created` event it answers, so a redelivered event records nothing twice."""

    id: UUID

    def provisioned(self, event_id: UUID) -> None:
        self.audit.append(AuditEntry(action="project.provisioned", entity="project", entity_id=self.id, project_id=self.id,
                                     event_id=event_id))
