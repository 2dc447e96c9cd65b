"""Shift logs in PostgreSQL, in the caller's unit of work. Row-level security keeps every read to
the caller's company and projects: another's log, entry or case is not found."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import not_found

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
_DEPARTMENT = text("SELECT 1 FROM departments WHERE org_id = :o AND project_id = :p AND id = :d")
_SAME_DEPARTMENT = "project_id = :p AND department_id IS NOT DISTINCT FROM CAST(:d AS uuid)"
_OPEN = text(f"SELECT 1 FROM shift_logs WHERE org_id = :o AND {_SAME_DEPARTMENT} AND state = 'open' LIMIT 1")
# The log this one takes over: the department's latest handed over and not yet taken over.
_PREVIOUS = text(
    f"SELECT id FROM shift_logs WHERE org_id = :o AND {_SAME_DEPARTMENT} AND state = 'handed_over' AND next_log_id IS NULL "
    "ORDER BY handed_over_at DESC, id LIMIT 1 FOR UPDATE"
)
_INSERT = text(
    "INSERT INTO shift_logs (org_id, project_id, department_id, shift_start, shift_end, author_user_id) "
    "VALUES (:o, :p, :d, :s, :e, :u) RETURNING id"
)
_LINK = text("UPDATE shift_logs SET next_log_id = :n WHERE org_id = :o AND id = :id")
# Open items not done are copied, not moved: the old entry keeps its history in the old log.
_CARRY = text(
    "INSERT INTO shift_log_entries (org_id, project_id, log_id, kind, text, case_id, hazard_id, author, carried_from, carry_count) "
    "SELECT org_id, project_id, :n, 'open_item', text, case_id, hazard_id, author, id, carry_count + 1 "
    "FROM shift_log_entries WHERE org_id = :o AND log_id = :prev AND kind = 'open_item' AND done_at IS NULL ORDER BY at, id"
)
LOG = text(
    "SELECT id, project_id, department_id, state, "
    "  EXISTS (SELECT 1 FROM shift_logs p WHERE p.org_id = l.org_id AND p.next_log_id = l.id) AS received "
    "FROM shift_logs l WHERE l.org_id = :o AND id = :id"
)
_LOG_LOCKED = text(f"{LOG.text} FOR UPDATE")
_ACKED = text("SELECT 1 FROM handover_acks WHERE org_id = :o AND log_id = :l AND user_id = :u")
_ACK = text(
    "INSERT INTO handover_acks (org_id, project_id, log_id, user_id) VALUES (:o, :p, :l, :u) "
    "ON CONFLICT DO NOTHING RETURNING at"
)
_CASE = text("SELECT 1 FROM cases WHERE org_id = :o AND id = :c AND project_id = :p")
_ADD = text(
    "INSERT INTO shift_log_entries (org_id, project_id, log_id, kind, text, case_id, author) "
    "VALUES (:o, :p, :l, :k, :t, :c, :a) RETURNING id"
)
_ENTRY = text("SELECT id, log_id, kind, done_at FROM shift_log_entries WHERE org_id = :o AND id = :id FOR UPDATE")
_DONE = text("UPDATE shift_log_entries SET done_at = :at, done_by = :by WHERE org_id = :o AND id = :id")
_HAND_OVER = text(
    "UPDATE shift_logs SET state = 'handed_over', summary = :s, handed_over_at = :at, handed_over_by = :by WHERE org_id = :o AND id = :id"
)
_OPEN_ITEMS = text("SELECT count(*) FROM shift_log_entries WHERE org_id = :o AND log_id = :l AND kind = 'open_item' AND done_at IS NULL")


async def lock_department(conn: AsyncConnection, project_id: UUID, department_id: UUID | None) -> None:
    """One opening per project and department at a time, so two shifts cannot both take over."""
    await conn.execute(_LOCK, {"k": f"shift_log:{project_id}:{department_id}"})


async def check_department(conn: AsyncConnection, org_id: UUID, project_id: UUID, department_id: UUID | None) -> None:
    if department_id is not None and (await conn.execute(_DEPARTMENT, {"o": org_id, "p": project_id, "d": department_id})).first() is None:
        raise not_found("The department (in this project)", "departmentId", zh="本项目中的部门")


async def has_open(conn: AsyncConnection, org_id: UUID, project_id: UUID, department_id: UUID | None) -> bool:
    return (await conn.execute(_OPEN, {"o": org_id, "p": project_id, "d": department_id})).first() is not None


async def previous(conn: AsyncConnection, org_id: UUID, project_id: UUID, department_id: UUID | None) -> UUID | None:
    row = (await conn.execute(_PREVIOUS, {"o": org_id, "p": project_id, "d": department_id})).first()
    return row.id if row else None


async def insert(conn: AsyncConnection, *, org_id: UUID, project_id: UUID, department_id: UUID | None, start: datetime,
                 end: datetime, author: UUID) -> UUID:
    log_id: UUID = (await conn.execute(_INSERT, {"o": org_id, "p": project_id, "d": department_id, "s": start, "e": end,
                                                 "u": author})).scalar_one()
    return log_id


async def take_over(conn: AsyncConnection, org_id: UUID, previous_id: UUID, log_id: UUID) -> int:
    """Link the old log to the new and copy its open items; how many were carried."""
    await conn.execute(_LINK, {"o": org_id, "id": previous_id, "n": log_id})
    return (await conn.execute(_CARRY, {"o": org_id, "prev": previous_id, "n": log_id})).rowcount


async def log(conn: AsyncConnection, org_id: UUID, log_id: UUID, *, lock: bool = False) -> Row[Any]:
    row = (await conn.execute(_LOG_LOCKED if lock else LOG, {"o": org_id, "id": log_id})).first()
    if row is None:
        raise not_found("The shift log", "logId", zh="值班日志")
    return row


async def acknowledged(conn: AsyncConnection, org_id: UUID, log_id: UUID, user_id: UUID) -> bool:
    return (await conn.execute(_ACKED, {"o": org_id, "l": log_id, "u": user_id})).first() is not None


async def acknowledge(conn: AsyncConnection, *, org_id: UUID, project_id: UUID, log_id: UUID, user_id: UUID) -> bool:
    """False when this person had already signed."""
    return (await conn.execute(_ACK, {"o": org_id, "p": project_id, "l": log_id, "u": user_id})).first() is not None


async def check_case(conn: AsyncConnection, org_id: UUID, case_id: UUID, project_id: UUID) -> None:
    if (await conn.execute(_CASE, {"o": org_id, "c": case_id, "p": project_id})).first() is None:
        raise not_found("The case (in this project)", "caseId", zh="本项目中的工单")


async def add_entry(conn: AsyncConnection, *, org_id: UUID, project_id: UUID, log_id: UUID, kind: str, text_: str,
                    case_id: UUID | None, author: str) -> UUID:
    entry_id: UUID = (await conn.execute(_ADD, {"o": org_id, "p": project_id, "l": log_id, "k": kind, "t": text_, "c": case_id,
                                                "a": author})).scalar_one()
    return entry_id


async def entry(conn: AsyncConnection, org_id: UUID, entry_id: UUID) -> Row[Any]:
    row = (await conn.execute(_ENTRY, {"o": org_id, "id": entry_id})).first()
    if row is None:
        raise not_found("The log entry", "entryId", zh="日志记录")
    return row


async def mark_done(conn: AsyncConnection, org_id: UUID, entry_id: UUID, *, at: datetime, by: str) -> None:
    await conn.execute(_DONE, {"o": org_id, "id": entry_id, "at": at, "by": by})


async def hand_over(conn: AsyncConnection, org_id: UUID, log_id: UUID, *, summary: str, at: datetime, by: str) -> int:
    """Close the log; how many open items the next shift will receive."""
    await conn.execute(_HAND_OVER, {"o": org_id, "id": log_id, "s": summary, "at": at, "by": by})
    left: int = (await conn.execute(_OPEN_ITEMS, {"o": org_id, "l": log_id})).scalar_one()
    return left
