"""钻取与趋势 The HQ drill-down: a month's figures by category, kind or building, and the figures
as a series of days or months — over the caller's visible projects or one of them. Read from the
rollups (buildings from the project's cases), one statement per field."""

from __future__ import annotations

from datetime import date
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import to_global_id
from api.graphql.types.overview import Kpis
from domain.cases.states import KIND_LABELS, CaseKind
from domain.errors import invalid
from domain.kpi import drilldown_read as reads
from domain.kpi.figures import Figures
from domain.kpi.month import COUNT_NAMES, month_period

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
    """The households the figures are counted over. The project, when given, is in reach already
    (queries.py: `project_in_reach`)."""
    return await reads.households(info.context.db, project_id)


async def kpi_breakdown(info: Info, month: date | None, by: KpiDimension, project_id: UUID | None) -> list[KpiSlice]:
    month, _ = month_period(month)
    households = await _scope(info, project_id)
    db = info.context.db
    if by is KpiDimension.CATEGORY:
        rows = await reads.by_category(db, month, project_id)
        return [KpiSlice(key=r.key, label=r.label, kpis=Kpis.of(Figures.of(_counts(r), households))) for r in rows]
    if by is KpiDimension.KIND:
        rows = await reads.by_kind(db, month, project_id)
        return [KpiSlice(key=r.key.upper(), label=KIND_LABELS[CaseKind(r.key)], kpis=Kpis.of(Figures.of(_counts(r), households)))
                for r in rows]
    if project_id is None:
        raise invalid("楼栋属于单个项目：请提供 projectId，才能按楼栋拆分月度数据。"
                      "Buildings belong to one project: give projectId to break a month down by building.", "projectId")
    buildings = {b.id: b for b in await reads.buildings(db, project_id)}
    rows = await reads.by_building(db, month, project_id)
    slices = []
    for r in rows:
        b = buildings.get(r.key)
        label, flats = (b.name, b.flats) if b else ("公共区域及未指定 Public areas and unspecified", None)
        key = to_global_id("Building", r.key) if r.key else ""
        slices.append(KpiSlice(key=key, label=label, kpis=Kpis.of(Figures.of(_counts(r), flats))))
    return sorted(slices, key=lambda s: (-s.kpis.received, s.label))


async def kpi_series(info: Info, from_: date, to: date, grain: KpiGrain, project_id: UUID | None) -> list[KpiPoint]:
    if grain is KpiGrain.MONTH:
        from_, to = from_.replace(day=1), to.replace(day=1)
    span = (to - from_).days if grain is KpiGrain.DAY else (to.year - from_.year) * 12 + to.month - from_.month
    limit = MAX_DAYS if grain is KpiGrain.DAY else MAX_MONTHS
    if span < 0:
        raise invalid("结束日期不能早于开始日期。`to` must not be before `from`.", "to")
    if span >= limit or from_ < date(2000, 1, 1) or to > date(2100, 1, 1):
        raise invalid(f"序列最长 {limit} {'天' if grain is KpiGrain.DAY else '个月'}，且须在 2000 至 2100 年之间。"
                      f"A series spans at most {limit} {'days' if grain is KpiGrain.DAY else 'months'}, between 2000 and 2100.", "to")
    households = await _scope(info, project_id)
    rows = await reads.series(info.context.db, grain.value, from_, to, project_id)
    return [KpiPoint(period=r.period, kpis=Kpis.of(Figures.of(_counts(r), households))) for r in rows]

