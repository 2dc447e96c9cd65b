"""品质检查 Checklists and inspections as they are read back, under the caller's row-level security.
Items, results and findings are read for any number of checklists or inspections in one
statement each."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

_CHECKLISTS = text("SELECT id, name, active, created_by, created_at FROM inspection_checklists "
                   "WHERE org_id = :o AND (CAST(:id AS uuid) IS NULL OR id = :id) AND (:all OR active) "
                   "ORDER BY created_at DESC, id")
_ITEMS = text("SELECT checklist_id, id, position, title, guidance, max_points, department_kind FROM inspection_checklist_items "
              "WHERE org_id = :o AND checklist_id = ANY(:ids) ORDER BY position")
_COLUMNS = ("i.id, i.project_id, i.checklist_id, c.name AS checklist_name, i.inspector_id, i.inspected_on, i.state, "
            "i.total_points, i.max_points, i.score, i.note, i.created_at, i.submitted_at")
_INSPECTIONS = text(f"SELECT {_COLUMNS} FROM inspections i JOIN inspection_checklists c ON c.org_id = i.org_id AND c.id = i.checklist_id "
                    "WHERE i.org_id = :o AND i.inspected_on >= :since AND i.inspected_on < :until "
                    "AND (CAST(:p AS uuid) IS NULL OR i.project_id = :p) "
                    "ORDER BY i.inspected_on DESC, i.created_at DESC, i.id")
_ONE = text(f"SELECT {_COLUMNS} FROM inspections i JOIN inspection_checklists c ON c.org_id = i.org_id AND c.id = i.checklist_id "
            "WHERE i.org_id = :o AND i.id = :id")
_RESULTS = text("SELECT r.inspection_id, r.item_id, t.position, t.title, t.max_points, r.points, r.not_applicable, r.comment "
                "FROM inspection_results r JOIN inspection_checklist_items t ON t.org_id = r.org_id AND t.id = r.item_id "
                "WHERE r.org_id = :o AND r.inspection_id = ANY(:ids) ORDER BY t.position")
_FINDINGS = text("SELECT f.inspection_id, f.id, f.item_id, t.position, f.description, f.severity, f.kind, f.category_code, "
                 "f.public_area, f.case_id FROM inspection_findings f "
                 "JOIN inspection_checklist_items t ON t.org_id = f.org_id AND t.id = f.item_id "
                 "WHERE f.org_id = :o AND f.inspection_id = ANY(:ids) ORDER BY t.position")


async def checklists(db: Reader, checklist_id: UUID | None, include_inactive: bool) -> list[Row[Any]]:
    """Newest first; only the one when `checklist_id` is given."""
    return await db.all(_CHECKLISTS, {"o": db.org_id, "id": checklist_id, "all": include_inactive})


async def checklist_items(db: Reader, checklist_ids: list[UUID]) -> list[Row[Any]]:
    """The checklists' items in their order, each with its `checklist_id`."""
    return await db.all(_ITEMS, {"o": db.org_id, "ids": checklist_ids})


async def inspections(db: Reader, since: date, until: date, project_id: UUID | None) -> list[Row[Any]]:
    """Inspected on [since, until), newest first; of one project when given. Drafts included."""
    return await db.all(_INSPECTIONS, {"o": db.org_id, "since": since, "until": until, "p": project_id})


async def inspection(db: Reader, inspection_id: UUID) -> list[Row[Any]]:
    """The inspection as a list of none or one, to be completed like a list."""
    return await db.all(_ONE, {"o": db.org_id, "id": inspection_id})


async def results(db: Reader, inspection_ids: list[UUID]) -> list[Row[Any]]:
    """The inspections' results in item order, each with its `inspection_id`."""
    return await db.all(_RESULTS, {"o": db.org_id, "ids": inspection_ids})


async def findings(db: Reader, inspection_ids: list[UUID]) -> list[Row[Any]]:
    """The inspections' findings in item order, each with its `inspection_id`."""
    return await db.all(_FINDINGS, {"o": db.org_id, "ids": inspection_ids})
