"""Projects' settings in PostgreSQL, inside the caller's tenant wall (row-level security): a
project the wall hides is not found."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text

from domain.errors import not_found
from domain.projects.model import ProjectSettings, ProvisionedProject, WorkingHours
from domain.unit_of_work import UnitOfWork

_PROJECT = text("SELECT id, work_opens, work_closes, resident_rating FROM projects WHERE org_id = :o AND id = :p FOR UPDATE")
_PROVISIONED = text("UPDATE projects SET provisioned_at = now() WHERE org_id = :o AND id = :p AND provisioned_at IS NULL")
_SET_HOURS = text("UPDATE projects SET work_opens = :a, work_closes = :b WHERE org_id = :o AND id = :p")
_SET_RATING = text("UPDATE projects SET resident_rating = :on WHERE org_id = :o AND id = :p AND resident_rating <> :on")


class ProjectRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def get(self, project_id: UUID) -> ProjectSettings:
        row = (await self._uow.conn.execute(_PROJECT, {"o": self._uow.org_id, "p": project_id})).first()
        if row is None:
            raise not_found("The project", "projectId", zh="项目")
        hours = WorkingHours(row.work_opens, row.work_closes) if row.work_opens and row.work_closes else None
        project = ProjectSettings(id=row.id, hours=hours, resident_rating=row.resident_rating)
        self._uow.track(project)
        return project

    async def mark_provisioned(self, project_id: UUID) -> ProvisionedProject | None:
        """None: already provisioned, or not in this database — nothing to record."""
        if (await self._uow.conn.execute(_PROVISIONED, {"o": self._uow.org_id, "p": project_id})).rowcount == 0:
            return None
        project = ProvisionedProject(id=project_id)
        self._uow.track(project)
        return project

    async def save(self, project: ProjectSettings) -> None:
        if project.hours is not None:
            await self._uow.conn.execute(_SET_HOURS, {"o": self._uow.org_id, "a": project.hours.opens,
                                                      "b": project.hours.closes, "p": project.id})
        await self._uow.conn.execute(_SET_RATING, {"on": project.resident_rating, "p": project.id, "o": self._uow.org_id})
