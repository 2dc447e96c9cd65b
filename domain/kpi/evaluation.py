"""The stored monthly evaluation: each project's score, standard score, rank and trend as last
computed (table kpi_project_score). The overview reads these rows instead of scoring every
project on every request; `workers/score_sweep.py` keeps them within seconds of the rollups."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# Read models everywhere need these; they live in `domain.reads` and are named here too for older imports.
from domain.reads import ConnectionReader as ConnectionReader, Reader as Reader


_STORE = text(
    "INSERT INTO kpi_project_score (org_id, project_id, month, score, standard_score, rank, trend, computed_at) "
    "SELECT (SELECT app_org_id()), p, CAST(:month AS date), s, z, r, t, now() "
    "FROM unnest(CAST(:projects AS uuid[]), CAST(:scores AS float8[]), CAST(:standard AS float8[]), CAST(:ranks AS int[]), "
    "            CAST(:trends AS float8[])) AS x (p, s, z, r, t) "
    "ON CONFLICT (org_id, project_id, month) DO UPDATE SET score = EXCLUDED.score, standard_score = EXCLUDED.standard_score, "
    "  rank = EXCLUDED.rank, trend = EXCLUDED.trend, computed_at = EXCLUDED.computed_at"
)


async def store(conn: AsyncConnection, month: date,
                scored: Iterable[tuple[UUID, float | None, float | None, int | None, float | None]]) -> None:
    """One statement for every project of the month: (project, score, standard, rank, trend)."""
    rows = list(scored)
    await conn.execute(_STORE, {"month": month, "projects": [r[0] for r in rows], "scores": [r[1] for r in rows],
                                "standard": [r[2] for r in rows], "ranks": [r[3] for r in rows], "trends": [r[4] for r in rows]})
