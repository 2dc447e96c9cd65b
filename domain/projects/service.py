"""Use cases on a project's settings; each runs inside the caller's transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import not_found
from domain.outbox import write_audit
from domain.projects import repository
from domain.projects.commands import SetWorkingHours


async def set_working_hours(conn: AsyncConnection, cmd: SetWorkingHours, *, org_id: UUID, actor: str) -> dict[str, Any]:
    if not await repository.set_working_hours(conn, cmd.project_id, cmd.hours):
        raise not_found("The project", "projectId")
    await write_audit(conn, org_id=org_id, project_id=cmd.project_id, actor=actor, action="project.working_hours_set",
                      entity="project", entity_id=cmd.project_id,
                      data={"opens": cmd.hours.opens.isoformat(), "closes": cmd.hours.closes.isoformat()})
    return {"ok": True}
