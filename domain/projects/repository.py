"""Projects' settings in PostgreSQL, inside the caller's tenant wall (row-level security): a
project the wall hides is not found."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.projects.model import WorkingHours

_SET_HOURS = text("UPDATE projects SET work_opens = :a, work_closes = :b WHERE id = :p RETURNING id")


async def set_working_hours(conn: AsyncConnection, project_id: UUID, hours: WorkingHours) -> bool:
    """False when no project of the wall has this id."""
    row = (await conn.execute(_SET_HOURS, {"a": hours.opens, "b": hours.closes, "p": project_id})).first()
    return row is not None
