"""Read models of cases for the API: a case by id, a page of a case list, a case's history and
links. Row-level security keeps every statement to the caller's company and projects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import TextClause, text

from domain.cases.queue import OrderTerms, page_sql
from domain.reads import Reader, Record, Row
from domain.sla.overdue import overdue

# What the Case type reads, wherever cases are listed (the compiled path shares the FROM).
CASE_COLUMNS = (
    "c.id, c.project_id, c.number, c.kind, c.severity, c.channel, c.state, c.description, c.photos, c.public_area, "
    "c.unit_id, c.building_id, c.received_at, c.registered_at, c.commitment_due, c.assignee_id, c.department_id, c.handler_id, "
    "c.paused_since, "
    "c.reopen_count, c.rework_level, c.broken_promises, c.repeat_of, c.satisfaction, c.visit_score, c.auto_confirmed, "
    "c.resolved_at, c.confirmed_at, c.first_receiver_id, c.reporter_resident_id, c.reception_user_id, "
    "cat.code AS category_code, cat.name AS category_name, "
    f"{overdue('c')} AS overdue"
)
CASE_FROM = "cases c JOIN case_categories cat ON cat.org_id = c.org_id AND cat.id = c.category_id"
_BY_ID = text(f"SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.org_id = :org AND c.id = ANY(:ids)")

TIMELINE = text(
    "SELECT id, at, action, from_state, to_state, actor, note, data FROM audit_log "
    "WHERE org_id = :org AND entity = 'case' AND entity_id = :c ORDER BY at, id"
)


def repeats_of(columns: str, source: str) -> TextClause:
    """The cases linked as repeats of each earlier case, oldest first (index cases_repeat_of)."""
    return text(f"SELECT {columns} FROM {source} WHERE c.org_id = :org AND c.repeat_of = ANY(:ids) ORDER BY c.received_at, c.id")


_REPEATS = repeats_of(CASE_COLUMNS, CASE_FROM)


async def cases_by_id(db: Reader, ids: Sequence[UUID]) -> list[Record]:
    # Past SQLAlchemy: read after every case mutation, for its payload.
    return await db.records(_BY_ID, {"org": db.org_id, "ids": list(ids)})


async def repeats_of_cases(db: Reader, case_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The repeats of each of the cases, oldest first."""
    return await db.all(_REPEATS, {"org": db.org_id, "ids": list(case_ids)})


async def case_page(db: Reader, where: str, sort: OrderTerms, params: dict[str, Any], limit: int) -> list[Row[Any]]:
    """Up to `limit` cases matching `where` (clauses of fixed text, values in `params`) in the order."""
    return await db.all(text(page_sql(CASE_COLUMNS, CASE_FROM, where, sort)), {**params, "limit": limit})


async def case_count(db: Reader, where: str, params: dict[str, Any]) -> int:
    row = await db.first(text(f"SELECT count(*) FROM {CASE_FROM} {where}"), params)
    assert row is not None  # count(*) always answers one row
    count: int = row[0]
    return count
