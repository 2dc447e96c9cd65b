"""总部看板 orgOverview: every project the caller may see with its health this month — open and
overdue cases, breaches today, and the figures of docs/kpis.md from the rollups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.types.project import Project
from domain.errors import invalid
from domain.kpi.figures import Figures, total
from domain.kpi.rollups import CHINA, COUNTS

COUNT_NAMES = (*COUNTS, "handling_seconds")
_COUNTS = ", ".join(f"coalesce(m.{c}, 0) AS {c}" for c in COUNT_NAMES)
LIVE_SQL = (
    "WITH today AS (SELECT project_id, count(*) AS breached FROM escalations WHERE fired_at >= :today AND level = 'l1' "
    "  AND reason = 'timer' GROUP BY project_id) "
    # The counts first, in COUNT_NAMES order: rows are sliced, not looked up by name (2,000 rows × 22).
    f"SELECT {_COUNTS}, p.*, coalesce(live.open, 0) AS open_now, coalesce(live.overdue, 0) AS overdue_now, "
    "  coalesce(today.breached, 0) AS breached_today "
    "FROM projects p LEFT JOIN kpi_project_month m ON m.org_id = p.org_id AND m.project_id = p.id AND m.month = :month "
    "LEFT JOIN kpi_project_live live ON live.org_id = p.org_id AND live.project_id = p.id "
    "LEFT JOIN today ON today.project_id = p.id ORDER BY p.code"
)
_OVERVIEW = text(LIVE_SQL)


@strawberry.type(description="考核指标 The figures of docs/kpis.md; a rate with nothing to measure is null.")
class Kpis:
    received: int
    response_rate: float | None = strawberry.field(description="响应率")
    resolution_rate: float | None = strawberry.field(description="解决率")
    satisfaction_rate: float | None = strawberry.field(description="满意率")
    first_contact_rate: float | None = strawberry.field(description="首次解决率")
    return_visit_rate: float | None = strawberry.field(description="回访率")
    on_time_rate: float | None = strawberry.field(description="按时办结率")
    average_handling_hours: float | None = strawberry.field(description="平均处理时长（小时）")
    complaints_per_1000: float | None = strawberry.field(description="千户投诉率")
    broken_promises: int
    escalations: int

    @classmethod
    def of(cls, f: Figures) -> Kpis:
        return cls(**vars(f))


@strawberry.type(description="项目健康度 One project's health.")
class ProjectHealth:
    project: Project
    open: int = strawberry.field(description="未办结 Open now, whenever received.")
    overdue: int = strawberry.field(description="超时 Open now past a deadline.")
    breached_today: int = strawberry.field(description="今日超时 Targets that passed their deadline today (Beijing day).")
    month: Kpis = strawberry.field(description="This month's cohort.")


@strawberry.type(description="总部看板 The company at a glance.")
class OrgOverview:
    month: date
    open: int
    overdue: int
    breached_today: int
    totals: Kpis
    projects: list[ProjectHealth]


@dataclass(frozen=True)
class OverviewData:
    """What both the strawberry resolver and the compiled path render."""

    month: date
    rows: list[Any]
    figures: list[Figures]
    totals: Figures


def overview_period(month: date | None) -> tuple[date, datetime]:
    """The month asked for (this Beijing month by default) and the start of today in Beijing."""
    now = datetime.now(CHINA)
    month = (month or now.date()).replace(day=1)
    if not date(2000, 1, 1) <= month <= date(2100, 1, 1):
        raise invalid("month must fall between 2000 and 2100.", "month")
    return month, datetime.combine(now.date(), datetime.min.time(), CHINA)


async def overview_data(db, month: date | None) -> OverviewData:
    month, today = overview_period(month)
    rows = await db.all(_OVERVIEW, {"month": month, "today": today})
    width = len(COUNT_NAMES)
    counts = [dict(zip(COUNT_NAMES, tuple(r)[:width], strict=True)) for r in rows]
    summed = total(counts) if counts else dict.fromkeys(COUNT_NAMES, 0)
    return OverviewData(month=month, rows=rows, figures=[Figures.of(c, r.households) for r, c in zip(rows, counts, strict=True)],
                        totals=Figures.of(summed, sum(r.households or 0 for r in rows)))


async def org_overview(info: Info, month: date | None) -> OrgOverview:
    data = await overview_data(info.context.db, month)
    projects = [ProjectHealth(project=Project.from_row(r), open=r.open_now, overdue=r.overdue_now, breached_today=r.breached_today,
                              month=Kpis.of(f)) for r, f in zip(data.rows, data.figures, strict=True)]
    return OrgOverview(month=data.month, open=sum(p.open for p in projects), overdue=sum(p.overdue for p in projects),
                       breached_today=sum(p.breached_today for p in projects), totals=Kpis.of(data.totals), projects=projects)
