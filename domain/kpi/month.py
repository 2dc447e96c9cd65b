"""A company's month as headquarters reads it: each visible project's rollup row with this and
last month's counts, open alerts by colour and the stored evaluation (the overview's one
statement), and the month evaluated — score, standard score, rank, trend — with the company's
weights and inspection scores. Shared by the overview, the scorecards, the monthly summary and
the evaluation sweep; works over any `Reader` (a request's or a worker's transaction)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.archive.accuracy_reads import LIVE_JOIN, accuracy_of
from domain.errors import invalid
from domain.inspections.repository import MONTH_SCORES
from domain.surveys.kpi import SURVEY_MONTH_SCORES
from domain.kpi.evaluation import store
from domain.kpi.figures import Figures, total
from domain.kpi.rollups import COUNTS
from domain.kpi.scores import Weights, ranks, score, standard_scores
from domain.reads import ConnectionReader, Reader
from domain.sla.calendar import CHINA, add_months

COUNT_NAMES = (*COUNTS, "handling_seconds")
COLOURS = ("red", "orange", "yellow", "blue")
_ALERTS = ", ".join(f"count(*) FILTER (WHERE colour = '{c}') AS {c}" for c in COLOURS)


# The collection rate's counts (docs/resident-services.md §6.7) of this month's and last month's
# billing period, beside the case counts; named, never sliced by position.
FEE_NAMES = ("fee_due_fen", "fee_collected_fen")
_FEE_JOIN = ("LEFT JOIN kpi_fee_month fm ON fm.org_id = p.org_id AND fm.project_id = p.id AND fm.month = :month "
             "LEFT JOIN kpi_fee_month fpm ON fpm.org_id = p.org_id AND fpm.project_id = p.id AND fpm.month = :previous ")
# The call counts (docs/centre-day.md §8) of this month and last, from kpi_call_month, named as
# the fee counts are: `call_offered` is the month's `offered`.
CALL_NAMES = ("call_offered", "call_answered", "call_answered_3_rings", "call_abandoned")
_CALL_JOIN = ("LEFT JOIN kpi_call_month cm ON cm.org_id = p.org_id AND cm.project_id = p.id AND cm.month = :month "
              "LEFT JOIN kpi_call_month cpm ON cpm.org_id = p.org_id AND cpm.project_id = p.id AND cpm.month = :previous ")


def month_sql(counts: tuple[str, ...] = COUNT_NAMES, previous: tuple[str, ...] = COUNT_NAMES,
              project: tuple[str, ...] | None = None, accuracy: bool = True, fees: bool = True,
              calls: bool = True) -> str:
    """The month's statement with these of this month's and last month's counts and of the
    project's columns (all by default), the archive accuracy and the fee and call counts when asked. The
    compiled overview asks only for what its document prints: 2,000 rows of 44 counts and every
    project column cost more to carry than to join."""
    columns = [f"coalesce(m.{c}, 0) AS {c}" for c in counts] + [f"coalesce(pm.{c}, 0) AS prev_{c}" for c in previous]
    if fees:
        columns += [f"coalesce(fm.{c[4:]}, 0) AS {c}" for c in FEE_NAMES] + [f"coalesce(fpm.{c[4:]}, 0) AS prev_{c}" for c in FEE_NAMES]
    if calls:
        columns += [f"coalesce(cm.{c[5:]}, 0) AS {c}" for c in CALL_NAMES] + [f"coalesce(cpm.{c[5:]}, 0) AS prev_{c}" for c in CALL_NAMES]
    columns += [f"p.{c}" for c in dict.fromkeys(("id", "code", "households", *project))] if project is not None else ["p.*"]
    if accuracy:
        columns.append(f"{accuracy_of('acc')} AS archive_accuracy")
    # 档案准确率 as last computed (docs/archive.md §7), a state of now like open and overdue: null
    # when never computed.
    return _MONTH_SQL.format(counts="".join(f"{c}, " for c in columns), accuracy=LIVE_JOIN if accuracy else "",
                             fees=(_FEE_JOIN if fees else "") + (_CALL_JOIN if calls else ""))


_MONTH_SQL = (
    "WITH today AS (SELECT project_id, count(*) AS breached FROM escalations WHERE org_id = :org AND fired_at >= :today AND level = 'l1' "
    "  AND reason = 'timer' GROUP BY project_id), "
    f"  warn AS (SELECT project_id, {_ALERTS} FROM alerts WHERE org_id = :org AND state <> 'resolved' GROUP BY project_id) "
    # This month's counts, then last month's, in the order asked: the full rows are sliced, not
    # looked up by name (2,000 rows × 44).
    "SELECT {counts}coalesce(live.open, 0) AS open_now, coalesce(live.overdue, 0) AS overdue_now, "
    "  coalesce(today.breached, 0) AS breached_today, "
    + ", ".join(f"coalesce(warn.{c}, 0) AS alerts_{c}" for c in COLOURS) + ", "
    # Standard score, rank and trend compare a project with every project of the company: for
    # headquarters only (project staff see their own score, as the monthly summary shows it).
    "  s.score, " + ", ".join(f"CASE WHEN (SELECT app_all_projects()) THEN s.{c} END AS {c}" for c in ("standard_score", "rank", "trend"))
    + ", s.computed_at AS scored_at "
    "FROM projects p LEFT JOIN kpi_project_month m ON m.org_id = p.org_id AND m.project_id = p.id AND m.month = :month "
    "LEFT JOIN kpi_project_month pm ON pm.org_id = p.org_id AND pm.project_id = p.id AND pm.month = :previous "
    "{fees}LEFT JOIN kpi_project_live live ON live.org_id = p.org_id AND live.project_id = p.id "
    "LEFT JOIN kpi_project_score s ON s.org_id = p.org_id AND s.project_id = p.id AND s.month = :month "
    "LEFT JOIN today ON today.project_id = p.id LEFT JOIN warn ON warn.project_id = p.id {accuracy} WHERE p.org_id = :org ORDER BY p.code"
)
MONTH_SQL = month_sql()
_MONTH = text(MONTH_SQL)
_WEIGHTS = text("SELECT * FROM kpi_weights WHERE org_id = :org")
WEIGHT_NAMES = tuple(f.name for f in fields(Weights))


@dataclass(frozen=True)
class MonthData:
    """Every visible project's row of MONTH_SQL with its figures for the month and the one before."""

    month: date
    rows: list[Any]
    figures: list[Figures]
    totals: Figures
    previous: list[Figures]
    previous_totals: Figures


@dataclass(frozen=True)
class ScoredProject:
    """One project's month as evaluated: what the scorecards, the monthly summary and the stored
    evaluation all show."""

    row: Any  # the project's row of MONTH_SQL
    figures: Figures
    score: float | None
    standard_score: float | None
    rank: int | None
    trend: float | None
    inspection_score: float | None = None  # the month's mean HQ inspection score, 0–100
    survey_score: float | None = None  # the month's survey score (campaigns closed, response-weighted), 0–100


def previous_month(month: date) -> date:
    return add_months(month, -1)


def month_period(month: date | None) -> tuple[date, datetime]:
    """The month asked for (this Beijing month by default) and the start of today in Beijing."""
    now = datetime.now(CHINA)
    month = (month or now.date()).replace(day=1)
    if not date(2000, 1, 1) <= month <= date(2100, 1, 1):
        raise invalid("月份须在 2000 到 2100 年之间。month must fall between 2000 and 2100.", "month")
    return month, datetime.combine(now.date(), datetime.min.time(), CHINA)


_NAMED = (*FEE_NAMES, *CALL_NAMES)


def _figures(rows: list[Any], start: int, prefix: str = "") -> tuple[list[Figures], Figures]:
    width = len(COUNT_NAMES)
    counts = [dict(zip(COUNT_NAMES, tuple(r)[start:start + width], strict=True)) | {c: getattr(r, prefix + c) for c in _NAMED}
              for r in rows]
    summed = total(counts) if counts else dict.fromkeys((*COUNT_NAMES, *FEE_NAMES, *CALL_NAMES), 0)
    return ([Figures.of(c, r.households) for r, c in zip(rows, counts, strict=True)],
            Figures.of(summed, sum(r.households or 0 for r in rows)))


async def month_data(db: Reader, month: date | None) -> MonthData:
    month, today = month_period(month)
    rows = await db.all(_MONTH, {"org": db.org_id, "month": month, "previous": previous_month(month), "today": today})
    figures, totals = _figures(rows, 0)
    previous, previous_totals = _figures(rows, len(COUNT_NAMES), "prev_")
    return MonthData(month=month, rows=rows, figures=figures, totals=totals, previous=previous, previous_totals=previous_totals)


async def company_weights(db: Reader) -> Weights:
    row = await db.first(_WEIGHTS, {"org": db.org_id})
    return Weights(**{n: getattr(row, n) for n in WEIGHT_NAMES}) if row else Weights()


async def inspection_scores(db: Reader, first: date, last: date) -> dict[tuple[Any, date], float]:
    """(project id, month) → the mean score of its submitted inspections that Beijing month, for
    the months first..last: one statement for every visible project."""
    rows = await db.all(MONTH_SCORES, {"org": db.org_id, "since": first, "until": add_months(last, 1)})
    return {(r.project_id, r.month): float(r.score) for r in rows}


async def survey_scores(db: Reader, first: date, last: date) -> dict[tuple[Any, date], float]:
    """(project id, month) → the response-weighted score of its campaigns closed that Beijing month
    with enough responses, for the months first..last: one statement for every visible project."""
    rows = await db.all(SURVEY_MONTH_SCORES, {"org": db.org_id, "since": first, "until": add_months(last, 1)})
    return {(r.project_id, r.month): float(r.score) for r in rows}


async def scored_month(db: Reader, month: date | None) -> tuple[MonthData, list[ScoredProject]]:
    """Every visible project's month evaluated, best first. Standard scores are across the
    projects the caller sees: for headquarters, every project of the company."""
    w = await company_weights(db)
    data = await month_data(db, month)
    before = previous_month(data.month)
    inspected = await inspection_scores(db, before, data.month)
    surveyed = await survey_scores(db, before, data.month)
    scores = {r.id: s for r, f in zip(data.rows, data.figures, strict=True)
              if (s := score(f, w, inspected.get((r.id, data.month)), surveyed.get((r.id, data.month)))) is not None}
    previous = {r.id: s for r, f in zip(data.rows, data.previous, strict=True)
                if (s := score(f, w, inspected.get((r.id, before)), surveyed.get((r.id, before)))) is not None}
    standard, standard_before = standard_scores(scores), standard_scores(previous)
    rank = ranks(standard)
    scored = [ScoredProject(row=r, figures=f, score=scores.get(r.id), standard_score=standard.get(r.id), rank=rank.get(r.id),
                            trend=standard[r.id] - standard_before[r.id] if r.id in standard and r.id in standard_before else None,
                            inspection_score=inspected.get((r.id, data.month)),
                            survey_score=surveyed.get((r.id, data.month)))
              for r, f in zip(data.rows, data.figures, strict=True)]
    return data, sorted(scored, key=lambda c: (c.rank is None, c.rank or 0, c.row.code))


_MONTHS = text("SELECT DISTINCT month FROM kpi_project_month WHERE org_id = :org ORDER BY month")


async def evaluate(conn: AsyncConnection, org_id: UUID, months: list[date] | None = None) -> None:
    """Evaluates and stores the months (by default every month with cases) of the transaction's
    company, which must see every project: standard scores compare them all."""
    reader = ConnectionReader(conn, org_id)
    for month in months if months is not None else [r.month for r in await reader.all(_MONTHS, {"org": org_id})]:
        data, scored = await scored_month(reader, month)
        await store(conn, data.month, [(c.row.id, c.score, c.standard_score, c.rank, c.trend) for c in scored])
