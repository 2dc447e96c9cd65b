"""值班日志 as staff read it: a project's logs newest first, one log, their entries and who signed
for them. Under the caller's row-level security."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

LOG_COLUMNS = (
    "l.id, l.project_id, l.department_id, l.shift_start, l.shift_end, l.author_user_id, l.summary, l.state, l.handed_over_at, "
    "l.handed_over_by, l.next_log_id, l.created_at, "
    "(SELECT p.id FROM shift_logs p WHERE p.org_id = l.org_id AND p.next_log_id = l.id) AS previous_log_id"
)
_PAGE = text(
    f"WITH f AS (SELECT {LOG_COLUMNS} FROM shift_logs l WHERE l.org_id = :o AND l.project_id = :p "
    "  AND (NOT :by_department OR l.department_id IS NOT DISTINCT FROM CAST(:d AS uuid)) "
    "  AND (CAST(:state AS text) IS NULL OR l.state = :state)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.shift_start, f.id) < (SELECT a.shift_start, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.shift_start DESC, f.id DESC LIMIT :limit"
)
_ONE = text(f"SELECT {LOG_COLUMNS} FROM shift_logs l WHERE l.org_id = :o AND l.id = ANY(:ids)")
ENTRY_COLUMNS = (
    "e.id, e.project_id, e.log_id, e.at, e.kind, e.text, e.case_id, e.hazard_id, e.author, e.done_at, e.done_by, "
    "e.carried_from, e.carry_count"
)
_ENTRIES = text(f"SELECT {ENTRY_COLUMNS} FROM shift_log_entries e WHERE e.org_id = :o AND e.log_id = ANY(:ids) "
                 "ORDER BY e.log_id, e.at, e.id")
_ACKS = text("SELECT log_id, user_id, at FROM handover_acks WHERE org_id = :o AND log_id = ANY(:ids) ORDER BY log_id, at")


async def log_page(db: Reader, project_id: UUID, *, department: tuple[bool, UUID | None], state: str | None,
                   after: UUID | None, limit: int) -> list[Row[Any]]:
    """`department`: (filter by it?, the department or None for the service centre)."""
    return await db.all(_PAGE, {"o": db.org_id, "p": project_id, "by_department": department[0], "d": department[1], "state": state,
                                "after": after, "limit": limit})


async def logs_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_ONE, {"o": db.org_id, "ids": list(ids)})


async def entries(db: Reader, log_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_ENTRIES, {"o": db.org_id, "ids": list(log_ids)})


async def acks(db: Reader, log_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_ACKS, {"o": db.org_id, "ids": list(log_ids)})


ENTRY_BY_ID = text(f"SELECT {ENTRY_COLUMNS} FROM shift_log_entries e WHERE e.org_id = :o AND e.id = :id")


async def entry(db: Reader, entry_id: UUID) -> Row[Any] | None:
    return await db.first(ENTRY_BY_ID, {"o": db.org_id, "id": entry_id})
