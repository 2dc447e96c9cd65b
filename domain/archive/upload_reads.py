"""Read models of archive imports (docs/archive.md §6.3 "Report"): one import with its problems,
a project's recent imports, newest first. Row-level security limits every statement to the
caller's company and projects."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_COLUMNS = ("i.id, i.project_id, i.upload_id, i.file_name, i.dry_run, i.state, i.rows_total, i.rows_done, i.counts, "
            "i.problem_count, i.error, i.created_by, i.created_at, i.started_at, i.finished_at, i.kind")
_ONE = text(f"SELECT {_COLUMNS}, i.problems FROM archive_imports i WHERE i.org_id = :o AND i.id = :id")
_PROBLEMS = text("SELECT i.problems FROM archive_imports i WHERE i.org_id = :o AND i.id = :id")
_RECENT = text(f"SELECT {_COLUMNS} FROM archive_imports i WHERE i.org_id = :o AND i.project_id = :p "
                 "ORDER BY i.created_at DESC, i.id LIMIT :limit")


async def archive_import(db: Reader, import_id: UUID) -> Row[Any] | None:
    """With `problems` (the first 1,000, values masked)."""
    return await db.first(_ONE, {"o": db.org_id, "id": import_id})


async def problems(db: Reader, import_id: UUID) -> list[dict[str, object]]:
    row = await db.first(_PROBLEMS, {"o": db.org_id, "id": import_id})
    return list(row.problems) if row else []


async def recent_imports(db: Reader, project_id: UUID, limit: int) -> list[Row[Any]]:
    """Without their problems (ask the one import for those)."""
    return await db.all(_RECENT, {"o": db.org_id, "p": project_id, "limit": limit})
