"""钻取与趋势 The HQ drill-down: a month's figures by category, kind or building, and the figures
as a series of days or months — over the caller's visible projects or one of them. Read from the
rollups (buildings from the project's cases), one statement per field."""

from __future__ import annotations

from datetime import date
from enum import Enum
from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.types.node import to_global_id
from api.graphql.types.overview import Kpis
from domain.cases.states import KIND_LABELS, CaseKind
from domain.errors import invalid, not_found
from domain.kpi.figures import Figures
from domain.kpi.month import COUNT_NAMES, month_period
from domain.kpi.rollups import BY_BUILDING, month_bounds

_SUMS = ", ".join(f"coalesce(sum(k.{c}), 0)::bigint AS {c}" for c in COUNT_NAMES)
_HOUSEHOLDS = text("SELECT coalesce(sum(households), 0) AS households FROM projects WHERE CAST(:p AS uuid) IS NULL OR id = :p")
_PROJECT = text("SELECT id FROM projects WHERE id = :p")
_IN_SCOPE = "(CAST(:p AS uuid) IS NULL OR k.project_id = :p)"
_BY_CATEGORY = text(
    f"SELECT cat.code AS key, cat.name AS label, {_SUMS} FROM kpi_category_month k "
    "JOIN case_categories cat ON cat.org_id = k.org_id AND cat.id = k.category_id "
    f"WHERE k.month = :month AND {_IN_SCOPE} GROUP BY k.category_id, cat.code, cat.name ORDER BY sum(k.received) DESC, cat.name"
)
_BY_KIND = text(f"SELECT k.kind AS key, {_SUMS} FROM kpi_category_month k WHERE k.month = :month AND {_IN_SCOPE} "
                "GROUP BY k.kind ORDER BY sum(k.received) DESC, k.kind")
_BUILDINGS = text("SELECT b.id, b.name, count(u.id) AS flats FROM buildings b LEFT JOIN units u ON u.org_id = b.org_id "
                  "AND u.building_id = b.id WHERE b.project_id = :p GROUP BY b.id, b.name")
_SERIES = {
    "day": text(f"SELECT g::date AS period, {_SUMS} FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') g "
                f"LEFT JOIN kpi_project_day k ON k.day = g::date AND {_IN_SCOPE} GROUP BY g ORDER BY g"),
    "month": text(f"SELECT g::date AS period, {_SUMS} FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 month') g "
                  f"LEFT JOIN kpi_project_month k ON k.month = g::date AND {_IN_SCOPE} GROUP BY g ORDER BY g"),
}
MAX_DAYS, MAX_MONTHS = 92, 36


@strawberry.enum(description="钻取维度 What to break a month down by.")
class KpiDimension(Enum):
    CATEGORY = "category"
    KIND = "kind"
    BUILDING = "building"


@strawberry.enum(description="时间粒度 Days or months.")
class KpiGrain(Enum):
    DAY = "day"
    MONTH = "month"


@strawberry.type(description="One slice of a month: a category, a kind or a building, with its figures.")
class KpiSlice:
    key: str = strawberry.field(description="The category's code (as in cases' filters), the kind (REPAIR …) or the building's "
                                            "id (as in the cases filter's buildingId); empty for cases without a building.")
    label: str
    kpis: Kpis


@strawberry.type(description="One day or month of a series.")
class KpiPoint:
    period: date
    kpis: Kpis


def _counts(row) -> dict[str, int]:
    return {c: getattr(row, c) for c in COUNT_NAMES}


async def _scope(info: Info, project_id: UUID | None) -> int:
    """Checks the project is visible, and returns the households the figures are counted over."""
    if project_id is not None and await info.context.db.first(_PROJECT, {"p": project_id}) is None:
        raise not_found("The project", "projectId")
    return (await info.context.db.first(_HOUSEHOLDS, {"p": project_id})).households


async def kpi_breakdown(info: Info, month: date | None, by: KpiDimension, project_id: UUID | None) -> list[KpiSlice]:
    month, _ = month_period(month)
    households = await _scope(info, project_id)
    db = info.context.db
    if by is KpiDimension.CATEGORY:
        rows = await db.all(_BY_CATEGORY, {"month": month, "p": project_id})
        return [KpiSlice(key=r.key, label=r.label, kpis=Kpis.of(Figures.of(_counts(r), households))) for r in rows]
    if by is KpiDimension.KIND:
        rows = await db.all(_BY_KIND, {"month": month, "p": project_id})
        return [KpiSlice(key=r.key.upper(), label=KIND_LABELS[CaseKind(r.key)], kpis=Kpis.of(Figures.of(_counts(r), households)))
                for r in rows]
    if project_id is None:
        raise invalid("Buildings belong to one project: give projectId to break a month down by building.", "projectId")
    start, end = month_bounds(month)
    buildings = {b.id: b for b in await db.all(_BUILDINGS, {"p": project_id})}
    rows = await db.all(BY_BUILDING, {"p": project_id, "start": start, "end": end})
    slices = []
    for r in rows:
        b = buildings.get(r.key)
        label, flats = (b.name, b.flats) if b else ("公共区域及未指定 Public areas and unspecified", None)
        slices.append(KpiSlice(key=to_global_id("Building", r.key) if r.key else "", label=label, kpis=Kpis.of(Figures.of(_counts(r), flats))))
    return sorted(slices, key=lambda s: (-s.kpis.received, s.label))


async def kpi_series(info: Info, from_: date, to: date, grain: KpiGrain, project_id: UUID | None) -> list[KpiPoint]:
    if grain is KpiGrain.MONTH:
        from_, to = from_.replace(day=1), to.replace(day=1)
    span = (to - from_).days if grain is KpiGrain.DAY else (to.year - from_.year) * 12 + to.month - from_.month
    limit = MAX_DAYS if grain is KpiGrain.DAY else MAX_MONTHS
    if span < 0:
        raise invalid("`to` must not be before `from`.", "to")
    if span >= limit or from_ < date(2000, 1, 1) or to > date(2100, 1, 1):
        raise invalid(f"A series spans at most {limit} {'days' if grain is KpiGrain.DAY else 'months'}, between 2000 and 2100.", "to")
    households = await _scope(info, project_id)
    rows = await info.context.db.all(_SERIES[grain.value], {"from": from_, "to": to, "p": project_id})
    return [KpiPoint(period=r.period, kpis=Kpis.of(Figures.of(_counts(r), households))) for r in rows]

