"""月度小结 The monthly summary's numbers (docs/monthly-summary.md): for one Beijing month and one
project or the whole company — the figures against the month before, the evaluation, cases by
kind and category, the daily series, escalations and alerts. Read inside the caller's tenant wall
in a fixed number of statements, however many projects the company runs. The printed page and the
workbook (api/print/) only shape what this returns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.errors import invalid
from domain.kpi.fee_summary_read import FeeSummary, fee_summary
from domain.kpi.figures import Figures, total
from domain.kpi.month import COUNT_NAMES, ScoredProject, scored_month
from domain.kpi.people_summary_read import PeopleSummary, people_summary
from domain.kpi.rollups import month_bounds
from domain.reads import Reader
from domain.sla.calendar import CHINA

LEVELS = ("escalations_l1", "escalations_l2", "escalations_l3")
COLOURS = ("red", "orange", "yellow")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")

_ORG = text("SELECT name FROM organizations WHERE org_id = :o")
# From the rollup kept per kind and category: a few hundred rows, where the month's cases are
# hundreds of thousands. Its `resolved` counts cases resolved, confirmed or closed.
_CATEGORIES = (
    "SELECT k.kind, cat.code, cat.name, sum(k.received)::int AS received, sum(k.resolved)::int AS resolved, "
    "  sum(k.dissatisfied)::int AS dissatisfied "
    "FROM kpi_category_month k JOIN case_categories cat ON cat.org_id = k.org_id AND cat.id = k.category_id "
    "WHERE k.org_id = :o AND k.month = :month {project} GROUP BY k.kind, cat.code, cat.name"
)
_DAILY = ("SELECT day, sum(received)::int AS received, sum(resolved)::int AS resolved FROM kpi_project_day "
          "WHERE org_id = :o AND day >= :first AND day < :next {project} GROUP BY day")
_ALERTS = ("SELECT colour, count(*) FILTER (WHERE state <> 'resolved') AS open_now, "
           "  count(*) FILTER (WHERE opened_at >= :start AND opened_at < :end) AS opened "
           "FROM alerts WHERE org_id = :o AND (state <> 'resolved' OR (opened_at >= :start AND opened_at < :end)) {project} "
           "GROUP BY colour")


def _variants(sql: str, column: str) -> tuple[Any, Any]:
    """(the company's, one project's): a plain filter, so the planner can use the project index."""
    return text(sql.format(project="")), text(sql.format(project=f"AND {column} = :p"))


CATEGORIES, DAILY, ALERTS = (_variants(_CATEGORIES, "k.project_id"), _variants(_DAILY, "project_id"),
                             _variants(_ALERTS, "project_id"))


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    received: int
    resolved: int
    dissatisfied: int


@dataclass(frozen=True)
class Summary:
    org_name: str
    month: date
    project: Any | None  # the project's row; None for the company
    headquarters: bool  # the caller sees every project, so comparisons across them are shown
    figures: Figures
    previous: Figures
    scored: ScoredProject | None  # the project's evaluation (project summaries)
    ranking: list[ScoredProject]  # every project, best first (the company summary)
    ranked: int  # projects with a rank this month
    by_kind: list[tuple[str, int]]
    by_category: list[Category]
    daily: list[tuple[date, int, int]]  # every day of the month: received, resolved of them
    escalations: list[tuple[str, int, int]]  # level, this month, last month
    alerts: list[tuple[str, int, int]]  # colour, open now, opened this month
    generated_at: datetime
    complete: bool  # the month is over
    fees: FeeSummary | None = None  # 收费: the month's bills (docs/resident-services.md §6.7)
    people: PeopleSummary | None = None  # 人员考核、巡查与隐患 (docs/centre-day.md §7)

    @property
    def top(self) -> list[ScoredProject]:
        return [s for s in self.ranking if s.rank is not None][:5]

    @property
    def bottom(self) -> list[ScoredProject]:
        ranked = [s for s in self.ranking if s.rank is not None]
        return ranked[max(5, len(ranked) - 5):]


def parse_month(value: str | None, now: datetime | None = None) -> date:
    """YYYY-MM; by default the last complete Beijing month, the one a summary is written about."""
    if value is None:
        today = (now or datetime.now(CHINA)).astimezone(CHINA).date()
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    m = _MONTH.fullmatch(value)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise invalid("月份格式须为 YYYY-MM，例如 2026-11。month must be YYYY-MM, e.g. 2026-11.", "month")
    year, number = int(m.group(1)), int(m.group(2))
    # Checked before a date is made (year 0 has none). The summary compares with the month
    # before, which must fall in the range too.
    if not (2000, 2) <= (year, number) <= (2100, 1):
        raise invalid("月份须在 2000-02 到 2100-01 之间。month must fall between 2000-02 and 2100-01.", "month")
    return date(year, number, 1)


def _counts(rows: list[Any], prefix: str = "") -> dict[str, int]:
    """Summed counts of the month (or, with prefix `prev_`, of the month before)."""
    return total([{n: getattr(r, prefix + n) for n in COUNT_NAMES} for r in rows]) if rows else dict.fromkeys(COUNT_NAMES, 0)


async def monthly_summary(db: Reader, month: date, project_id: UUID | None, headquarters: bool,
                          staff: bool = False) -> Summary | None:
    """The summary, or None when the project is not visible to the caller. `staff`: the caller
    may read the project's people, so its summary names them."""
    data, scored = await scored_month(db, month)
    month = data.month
    if project_id is None:
        mine, rows = None, data.rows
        figures, previous = data.totals, data.previous_totals
    else:
        mine = next((s for s in scored if s.row.id == project_id), None)
        if mine is None:
            return None
        rows = [mine.row]
        figures, previous = mine.figures, data.previous[data.rows.index(mine.row)]
    which = 0 if project_id is None else 1
    start, end = month_bounds(month)
    first, following = month, end.date()
    bounds = {"o": db.org_id, "start": start, "end": end, "p": project_id}
    org = await db.first(_ORG, {"o": db.org_id})
    categories = await db.all(CATEGORIES[which], {"o": db.org_id, "month": month, "p": project_id})
    daily = {"o": db.org_id, "first": first, "next": following, "p": project_id}
    days = {r.day: (r.received, r.resolved) for r in await db.all(DAILY[which], daily)}
    alerts = {r.colour: (r.open_now, r.opened) for r in await db.all(ALERTS[which], bounds)}

    kinds: dict[str, int] = {}
    merged: dict[str, Category] = {}
    for r in categories:
        kinds[r.kind] = kinds.get(r.kind, 0) + r.received
        c = merged.get(r.code, Category(r.code, r.name, 0, 0, 0))
        merged[r.code] = Category(c.code, c.name, c.received + r.received, c.resolved + r.resolved, c.dissatisfied + r.dissatisfied)
    now, before_counts = _counts(rows), _counts(rows, "prev_")
    generated = datetime.now(CHINA)
    fees = await fee_summary(db, month, project_id, generated.date())
    people = await people_summary(db, month, project_id, staff)
    return Summary(
        org_name=org.name if org else "", month=month, project=mine.row if mine else None, headquarters=headquarters,
        figures=figures, previous=previous, scored=mine, ranking=scored if project_id is None else [],
        ranked=sum(1 for s in scored if s.rank is not None),
        by_kind=sorted(kinds.items(), key=lambda k: (-k[1], k[0])),
        by_category=sorted(merged.values(), key=lambda c: (-c.received, c.code)),
        daily=[(d, *days.get(d, (0, 0))) for d in (first + timedelta(days=i) for i in range((following - first).days))],
        escalations=[(level, now[level], before_counts[level]) for level in LEVELS],
        alerts=[(colour, *alerts.get(colour, (0, 0))) for colour in COLOURS],
        generated_at=generated, complete=generated.date() >= following, fees=fees, people=people,
    )
