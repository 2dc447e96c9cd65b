"""决策反馈 Decision feedback items as they are read back: the items with their project, category and
body, their steps and linked cases (one statement each for any number of items), and the counts
per project. Row-level security decides which projects a caller sees."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.feedback.model import Status
from domain.reads import Reader

_COLUMNS = (
    "i.id, i.project_id, pr.name AS project_name, cat.code AS category_code, cat.name AS category_name, i.body_id, "
    "b.name AS body_name, b.kind AS body_kind, i.period, i.title, i.summary, i.status, i.case_count, i.reported_at, "
    "i.reported_by, i.acknowledged_at, i.corrected_at, i.implemented_at FROM decision_feedback_items i "
    "JOIN projects pr ON pr.org_id = i.org_id AND pr.id = i.project_id "
    "JOIN case_categories cat ON cat.org_id = i.org_id AND cat.id = i.category_id "
    "LEFT JOIN outside_bodies b ON b.org_id = i.org_id AND b.project_id = i.project_id AND b.id = i.body_id"
)
_LIST = text(f"SELECT {_COLUMNS} WHERE i.org_id = :o AND (CAST(:p AS uuid) IS NULL OR i.project_id = :p) "
             "AND (CAST(:s AS text) IS NULL OR i.status = :s) ORDER BY i.reported_at DESC, i.id LIMIT :n")
_ONE = text(f"SELECT {_COLUMNS} WHERE i.org_id = :o AND i.id = :id")
_STEPS = text("SELECT item_id, status, evidence, attachments, actor, at FROM decision_feedback_steps "
              "WHERE org_id = :o AND item_id = ANY(:ids) "
              "ORDER BY at, array_position(ARRAY['reported', 'acknowledged', 'corrected', 'implemented'], status)")
_CASES = text("SELECT l.item_id, c.id, c.number FROM decision_feedback_cases l "
              "JOIN cases c ON c.org_id = l.org_id AND c.project_id = l.project_id AND c.id = l.case_id "
              "WHERE l.org_id = :o AND l.item_id = ANY(:ids) ORDER BY c.number")
_SUMMARY = text(
    "SELECT i.project_id, pr.name AS project_name, "
    + ", ".join(f"count(*) FILTER (WHERE i.status = '{s.value}') AS {s.value}" for s in Status)
    + ", min(i.reported_at) FILTER (WHERE i.status <> 'implemented') AS oldest_open FROM decision_feedback_items i "
    "JOIN projects pr ON pr.org_id = i.org_id AND pr.id = i.project_id WHERE i.org_id = :o "
    "GROUP BY i.project_id, pr.name, pr.code ORDER BY pr.code"
)


async def items(db: Reader, project_id: UUID | None, status: str | None, first: int) -> list[Row[Any]]:
    """Newest report first; each filter applies only when given."""
    return await db.all(_LIST, {"o": db.org_id, "p": project_id, "s": status, "n": first})


async def item(db: Reader, item_id: UUID) -> list[Row[Any]]:
    """The item as a list of none or one, to be completed like a list."""
    return await db.all(_ONE, {"o": db.org_id, "id": item_id})


async def steps(db: Reader, item_ids: list[UUID]) -> list[Row[Any]]:
    """Every step of the items, in the order they were taken."""
    return await db.all(_STEPS, {"o": db.org_id, "ids": item_ids})


async def cases(db: Reader, item_ids: list[UUID]) -> list[Row[Any]]:
    """Each item's linked cases the caller sees: (item_id, id, number), by case number."""
    return await db.all(_CASES, {"o": db.org_id, "ids": item_ids})


async def summary(db: Reader) -> list[Row[Any]]:
    """Per visible project, in project code order: the items by status and the oldest open report."""
    return await db.all(_SUMMARY, {"o": db.org_id})
