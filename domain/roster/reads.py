"""值班表 Read models of the duty roster and of who is on duty to take a case."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row
from domain.roster.model import OnDuty
from domain.roster.repository import ON_DUTY, SHIFT_BY_ID, SHIFT_COLUMNS, on_duty_from

_ROSTER = text(
    f"SELECT {SHIFT_COLUMNS} FROM duty_shifts WHERE org_id = :o AND project_id = :p AND starts_at < :to AND ends_at > :from "
    "ORDER BY starts_at, id LIMIT 2000"
)
_CASE = text(
    "SELECT c.project_id, cc.code FROM cases c JOIN case_categories cc ON cc.org_id = c.org_id AND cc.id = c.category_id "
    "WHERE c.org_id = :o AND c.id = :c"
)


async def shifts(db: Reader, project_id: UUID, start: datetime, end: datetime) -> list[Row[Any]]:
    """The project's shifts overlapping the window, earliest first (at most 2000)."""
    return await db.all(_ROSTER, {"o": db.org_id, "p": project_id, "from": start, "to": end})


async def case_to_dispatch(db: Reader, case_id: UUID) -> Row[Any] | None:
    """The case's project and category code."""
    return await db.first(_CASE, {"o": db.org_id, "c": case_id})


async def on_duty(db: Reader, project_id: UUID, at: datetime) -> list[OnDuty]:
    return on_duty_from(await db.all(ON_DUTY, {"o": db.org_id, "p": project_id, "at": at}))


async def shift(db: Reader, shift_id: UUID) -> Row[Any] | None:
    return await db.first(SHIFT_BY_ID, {"o": db.org_id, "id": shift_id})
