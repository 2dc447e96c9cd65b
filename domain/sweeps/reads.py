"""拉网式排查 as read: the company's sweeps, newest first; one sweep; its completion board — each
project's part the caller sees (a project sees its own row only, by its wall), with hazards found
by grade and whether it is late. Under the caller's row-level security."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

_COLUMNS = ("s.id, s.title, s.reason, s.checklist, s.project_ids, s.due_at, s.state, s.launched_at, s.created_by, "
            "s.created_at, s.closed_at, s.closed_by, s.close_note")
_LIST = text(f"SELECT {_COLUMNS} FROM sweeps s WHERE s.org_id = :o AND (CAST(:state AS text) IS NULL OR s.state = :state) "
             "ORDER BY s.created_at DESC, s.id LIMIT :limit")
_ONE = text(f"SELECT {_COLUMNS} FROM sweeps s WHERE s.org_id = :o AND s.id = :id")
_PROGRESS = text(
    "SELECT sp.id, sp.project_id, p.name AS project_name, sp.state, sp.submitted_at, sp.submitted_by, "
    "  (SELECT count(*) FROM sweep_results r WHERE r.org_id = sp.org_id AND r.sweep_id = sp.sweep_id "
    "AND r.project_id = sp.project_id) AS items_checked, "
    "  coalesce((SELECT jsonb_object_agg(g.grade, g.n) FROM (SELECT h.grade, count(*) AS n FROM sweep_results r "
    "    JOIN hazards h ON h.org_id = r.org_id AND h.id = r.hazard_id WHERE r.org_id = sp.org_id AND r.sweep_id = sp.sweep_id "
    "    AND r.project_id = sp.project_id GROUP BY h.grade) g), '{}'::jsonb) AS hazards_by_grade, "
    "  (coalesce(sp.submitted_at, s.closed_at, now()) > s.due_at) AS late "
    "FROM sweep_projects sp JOIN sweeps s ON s.org_id = sp.org_id AND s.id = sp.sweep_id "
    "JOIN projects p ON p.org_id = sp.org_id AND p.id = sp.project_id WHERE sp.org_id = :o AND sp.sweep_id = :id ORDER BY p.code"
)


async def sweeps(db: Reader, *, state: str | None, limit: int) -> list[Row[Any]]:
    return await db.all(_LIST, {"o": db.org_id, "state": state, "limit": limit})


async def sweep(db: Reader, sweep_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": sweep_id})


async def progress(db: Reader, sweep_id: UUID) -> list[Row[Any]]:
    return await db.all(_PROGRESS, {"o": db.org_id, "id": sweep_id})
