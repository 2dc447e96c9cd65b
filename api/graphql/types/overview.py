"""总部看板 orgOverview: every project the caller may see with its health this month — open and
overdue cases, breaches today, alerts by colour, the figures of docs/kpis.md from the rollups beside
the month before's, and the month's score and rank as last evaluated (workers/score_sweep.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from api.context import Info
from api.graphql.overview_cache import overview_answer
from api.graphql.types.project import Project
from domain.kpi.figures import Figures
from domain.kpi.month import COLOURS, month_data, month_period

@strawberry.type(description="考核指标 The figures of docs/kpis.md; a rate with nothing to measure is null.")
class Kpis:
    received: int
    response_rate: float | None = strawberry.field(description="响应率")
    resolution_rate: float | None = strawberry.field(description="解决率")
    satisfaction_rate: float | None = strawberry.field(description="满意率")
    first_contact_rate: float | None = strawberry.field(description="首次解决率")
    return_visit_rate: float | None = strawberry.field(description="回访率")
    on_time_rate: float | None = strawberry.field(
        description="按时办结率 Resolved cases whose last resolution target was met in time and whose promise was never broken.")
    average_handling_hours: float | None = strawberry.field(description="平均处理时长（小时）")
    complaints_per_1000: float | None = strawberry.field(description="千户投诉率")
    broken_promises: int
    escalations: int
    collection_rate: float | None = strawberry.field(
        default=None, description="收缴率 Collection rate: collected ÷ due of the bills of the month (their period), whenever "
                                  "paid; null when nothing was billed.")
    calls: int = strawberry.field(default=0, description="来电量 Inbound calls offered in the month (Beijing), from the telephony "
                                                         "integrations.")
    calls_answered: int = strawberry.field(default=0, description="接通 Inbound calls answered.")
    calls_within_three_rings: int = strawberry.field(
        default=0, description="三声接听 Inbound calls answered within three rings (3 × the integration's ring length).")
    answer_rate: float | None = strawberry.field(default=None, description="接通率 Answered ÷ offered; null without calls.")
    three_ring_rate: float | None = strawberry.field(
        default=None, description="三声接听率 Answered within three rings ÷ answered; null when none was answered.")

    @classmethod
    def of(cls, f: Figures) -> Kpis:
        return cls(**vars(f))


@strawberry.type(description="预警 Alerts not yet resolved (open or acknowledged), by colour.")
class AlertCounts:
    red: int
    orange: int
    yellow: int
    blue: int


@strawberry.type(description="项目健康度 One project's health.")
class ProjectHealth:
    project: Project
    open: int = strawberry.field(description="未办结 Open now, whenever received.")
    overdue: int = strawberry.field(description="超时 Overdue cases now (as Case.overdue says).")
    breached_today: int = strawberry.field(description="今日超时 Targets that passed their deadline today (Beijing day).")
    alerts: AlertCounts = strawberry.field(description="预警 Its alerts not yet resolved, by colour.")
    month: Kpis = strawberry.field(description="This month's cohort.")
    previous_month: Kpis = strawberry.field(description="环比 The month before's cohort, for month-over-month comparison.")
    score: float | None = strawberry.field(description="考评得分 The month's score as last evaluated (see scorecards).")
    standard_score: float | None = strawberry.field(
        description="标准分 50 + 10·z across the company's projects; for headquarters only (null for project staff).")
    rank: int | None = strawberry.field(description="排名 Among the company's projects, best first; for headquarters only.")
    trend: float | None = strawberry.field(description="Standard score against the month before; for headquarters only.")
    archive_accuracy: float | None = strawberry.field(
        description="档案准确率 The archive's accuracy (0–1) as last computed — now, whatever the month, like open and "
                    "overdue; null when never computed (see archiveAccuracy).")


@strawberry.type(description="总部看板 The company at a glance.")
class OrgOverview:
    month: date
    open: int
    overdue: int
    breached_today: int
    alerts: AlertCounts
    totals: Kpis
    previous_totals: Kpis = strawberry.field(description="环比 The month before, for month-over-month comparison.")
    scored_at: datetime | None = strawberry.field(
        description="When the scores and ranks shown were evaluated (the evaluation follows the rollups within seconds).")
    projects: list[ProjectHealth]


def _alerts(r: Any) -> AlertCounts:
    return AlertCounts(**{c: getattr(r, f"alerts_{c}") for c in COLOURS})


async def org_overview(info: Info, month: date | None) -> OrgOverview:
    """The answer for the caller's scope, kept until the company's overview changes
    (api/graphql/overview_cache.py): the objects are made once, each request still renders them."""
    first, today = month_period(month)

    async def make() -> OrgOverview:
        return await _org_overview(info, first)

    kept = await overview_answer(info.context, "objects", first, today, make, lambda o: 2048 * (len(o.projects) + 1))
    return kept.value


async def _org_overview(info: Info, month: date) -> OrgOverview:
    data = await month_data(info.context.db, month)
    projects = [ProjectHealth(project=Project.from_row(r), open=r.open_now, overdue=r.overdue_now, breached_today=r.breached_today,
                              alerts=_alerts(r), month=Kpis.of(f), previous_month=Kpis.of(pf), score=r.score,
                              standard_score=r.standard_score, rank=r.rank, trend=r.trend,
                              archive_accuracy=r.archive_accuracy)
                for r, f, pf in zip(data.rows, data.figures, data.previous, strict=True)]
    scored = [r.scored_at for r in data.rows if r.scored_at is not None]
    return OrgOverview(month=data.month, open=sum(p.open for p in projects), overdue=sum(p.overdue for p in projects),
                       breached_today=sum(p.breached_today for p in projects),
                       alerts=AlertCounts(**{c: sum(getattr(p.alerts, c) for p in projects) for c in COLOURS}),
                       totals=Kpis.of(data.totals), previous_totals=Kpis.of(data.previous_totals),
                       scored_at=max(scored) if scored else None, projects=projects)
