"""钻取与趋势 What the HQ drill-down reads: a month's figures by category, kind or building, and the
figures as a series of days or months — over the caller's visible projects, or one of them when
`project_id` is given. From the rollups (buildings from the project's cases), one statement each."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.kpi.month import COUNT_NAMES
from domain.kpi.rollups import BY_BUILDING, month_bounds
from domain.reads import Reader

_SUMS = ", ".join(f"coalesce(sum(k.{c}), 0)::bigint AS {c}" for c in COUNT_NAMES)
_HOUSEHOLDS = text("SELECT coalesce(sum(households), 0) AS households FROM projects "
                   "WHERE org_id = :o AND (CAST(:p AS uuid) IS NULL OR id = :p)")
_IN_SCOPE = "(CAST(:p AS uuid) IS NULL OR k.project_id = :p)"
_BY_CATEGORY = text(
    f"SELECT cat.code AS key, cat.name AS label, {_SUMS} FROM kpi_category_month k "
    "JOIN case_categories cat ON cat.org_id = k.org_id AND cat.id = k.category_id "
    f"WHERE k.org_id = :o AND k.month = :month AND {_IN_SCOPE} GROUP BY k.category_id, cat.code, cat.name "
    "ORDER BY sum(k.received) DESC, cat.name"
)
_BY_KIND = text(f"SELECT k.kind AS key, {_SUMS} FROM kpi_category_month k "
                f"WHERE k.org_id = :o AND k.month = :month AND {_IN_SCOPE} "
                "GROUP BY k.kind ORDER BY sum(k.received) DESC, k.kind")
_BUILDINGS = text("SELECT b.id, b.name, count(u.id) AS flats FROM buildings b LEFT JOIN units u ON u.org_id = b.org_id "
                  "AND u.building_id = b.id WHERE b.org_id = :o AND b.project_id = :p GROUP BY b.id, b.name")
_SERIES = {
    "day": text(f"SELECT g::date AS period, {_SUMS} FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') g "
                f"LEFT JOIN kpi_project_day k ON k.org_id = :o AND k.day = g::date AND {_IN_SCOPE} GROUP BY g ORDER BY g"),
    "month": text(f"SELECT g::date AS period, {_SUMS} FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 month') g "
                  f"LEFT JOIN kpi_project_month k ON k.org_id = :o AND k.month = g::date AND {_IN_SCOPE} GROUP BY g ORDER BY g"),
}


async def households(db: Reader, project_id: UUID | None) -> int:
    """The households the figures are counted over."""
    row = await db.first(_HOUSEHOLDS, {"o": db.org_id, "p": project_id})
    assert row is not None  # an aggregate answers one row
    households: int = row.households
    return households


async def by_category(db: Reader, month: date, project_id: UUID | None) -> list[Row[Any]]:
    """(key = category code, label, counts…), most received first."""
    return await db.all(_BY_CATEGORY, {"o": db.org_id, "month": month, "p": project_id})


async def by_kind(db: Reader, month: date, project_id: UUID | None) -> list[Row[Any]]:
    """(key = kind, counts…), most received first."""
    return await db.all(_BY_KIND, {"o": db.org_id, "month": month, "p": project_id})


async def buildings(db: Reader, project_id: UUID) -> list[Row[Any]]:
    """The project's buildings: (id, name, flats)."""
    return await db.all(_BUILDINGS, {"o": db.org_id, "p": project_id})


async def by_building(db: Reader, month: date, project_id: UUID) -> list[Row[Any]]:
    """(key = building id or null, counts…) of the project's cases of the Beijing month."""
    start, end = month_bounds(month)
    return await db.all(BY_BUILDING, {"o": db.org_id, "p": project_id, "start": start, "end": end})


async def series(db: Reader, grain: str, from_: date, to: date, project_id: UUID | None) -> list[Row[Any]]:
    """(period, counts…) for every day or month (`grain`) from `from_` to `to`, both included."""
    return await db.all(_SERIES[grain], {"o": db.org_id, "from": from_, "to": to, "p": project_id})
