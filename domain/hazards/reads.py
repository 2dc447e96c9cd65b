"""隐患台账 as staff read it: a project's hazards, the overdue first; one hazard; the rungs of the
ladder it climbed. Under the caller's row-level security."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

HAZARD_COLUMNS = (
    "h.id, h.project_id, h.number, h.source, h.source_id, h.title, h.description, h.category, h.grade, h.building_id, "
    "h.unit_id, h.place, h.photos, h.owner_user_id, h.deadline, h.state, h.rectification_note, h.rectification_photos, "
    "h.rectified_at, h.rectified_by, h.verified_at, h.verified_by, h.verify_note, h.failed_count, h.accepted_reason, "
    "h.accepted_by, h.reported_by, h.created_at, h.updated_at, "
    "(h.state IN ('open', 'rectifying') AND h.deadline < now()) AS overdue"
)
# Open ones by deadline (the overdue first), then those waiting for verification, then the closed, by deadline.
_PAGE = text(
    f"WITH f AS (SELECT {HAZARD_COLUMNS}, CASE WHEN h.state IN ('open', 'rectifying') THEN 0 "
    "  WHEN h.state = 'rectified' THEN 1 ELSE 2 END AS rank FROM hazards h WHERE h.org_id = :o AND h.project_id = :p "
    "  AND (CAST(:state AS text) IS NULL OR h.state = :state) AND (CAST(:grade AS text) IS NULL OR h.grade = :grade) "
    "  AND (CAST(:category AS text) IS NULL OR h.category = :category) AND (CAST(:source AS text) IS NULL OR h.source = :source) "
    "  AND (CAST(:building AS uuid) IS NULL OR h.building_id = :building)) "
    "SELECT f.*, (SELECT count(*) FROM f WHERE NOT :overdue OR f.overdue) AS total FROM f "
    "WHERE (NOT :overdue OR f.overdue) AND (CAST(:after AS uuid) IS NULL OR (f.rank, f.deadline, f.id) > "
    "  (SELECT a.rank, a.deadline, a.id FROM f a WHERE a.id = :after)) "
    "ORDER BY f.rank, f.deadline, f.id LIMIT :limit"
)
_ONE = text(f"SELECT {HAZARD_COLUMNS} FROM hazards h WHERE h.org_id = :o AND h.id = :id")
_ESCALATIONS = text(
    "SELECT level, due_at, fired_at, recipients FROM item_escalations "
    "WHERE org_id = :o AND subject_kind = 'hazard' AND subject_id = :id ORDER BY fired_at"
)


async def hazard_page(db: Reader, project_id: UUID, *, state: str | None, grade: str | None, overdue: bool,
                      category: str | None = None, source: str | None = None, building: UUID | None = None,
                      after: UUID | None, limit: int) -> list[Row[Any]]:
    return await db.all(_PAGE, {"o": db.org_id, "p": project_id, "state": state, "grade": grade, "overdue": overdue, "category": category,
                                "source": source, "building": building, "after": after, "limit": limit})


async def hazard(db: Reader, hazard_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": hazard_id})


async def escalations(db: Reader, hazard_id: UUID) -> list[Row[Any]]:
    return await db.all(_ESCALATIONS, {"o": db.org_id, "id": hazard_id})
