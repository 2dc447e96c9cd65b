"""档案准确率 as stored: each visible project's row for a Beijing day, or its latest. Row-level
security limits the statement to the caller's company and projects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.archive.accuracy import Problem
from domain.reads import Reader, Row


def accuracy_of(row: str) -> str:
    """The fraction of a stored row's records with no problem; null when nothing was checked."""
    return f"CASE WHEN {row}.records_checked > 0 THEN 1 - {row}.records_with_problems::float8 / {row}.records_checked END"


# Project `p`'s latest stored day, as `acc`.
LIVE_JOIN = "LEFT JOIN archive_accuracy_live acc ON acc.org_id = p.org_id AND acc.project_id = p.id"

_ROWS = text(
    "SELECT p.id AS project_id, p.code, a.day, coalesce(a.records_checked, 0) AS records_checked, "
    "coalesce(a.records_with_problems, 0) AS records_with_problems, "
    + ", ".join(f"coalesce(a.{q.column}, 0) AS {q.column}" for q in Problem)
    + f", {accuracy_of('a')} AS accuracy, a.computed_at "
    f"FROM projects p {LIVE_JOIN} LEFT JOIN archive_accuracy a ON a.org_id = p.org_id AND a.project_id = p.id "
    "  AND a.day = coalesce(CAST(:day AS date), acc.day) "
    "WHERE p.org_id = :o AND (CAST(:p AS uuid) IS NULL OR p.id = :p) AND (CAST(:projects AS uuid[]) IS NULL OR p.id = ANY(:projects)) "
    "ORDER BY p.code"
)


async def accuracy_rows(db: Reader, project_id: UUID | None, projects: Sequence[UUID] | None,
                        day: date | None) -> list[Row[Any]]:
    """One row per visible project (one project, or those of `projects` when given): the day's
    figures, or its latest day's (the overview's); a project never computed (for that day) has day
    null and no accuracy."""
    return await db.all(_ROWS, {"o": db.org_id, "p": project_id, "projects": list(projects) if projects is not None else None, "day": day})
