"""The stored monthly evaluation: each project's score, standard score, rank and trend as last
computed (table kpi_project_score). The overview reads these rows instead of scoring every
project on every request; `workers/score_sweep.py` keeps them within seconds of the rollups."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Row, TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection


class Reader(Protocol):
    """What the read models need of a database: the request's `RequestDb` or a worker's connection."""

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row]: ...

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row | None: ...


class ConnectionReader:
    """A `Reader` over a connection whose transaction someone else owns."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row]:
        return list((await self.conn.execute(stmt, params or {})).all())

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row | None:
        rows = await self.all(stmt, params)
        return rows[0] if rows else None


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
