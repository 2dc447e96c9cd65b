"""月度小结 收费 The monthly summary's fee section (docs/resident-services.md §6.7): for one billing
period and one project or the company — billed, waived, due, collected, the collection rate, the
month-end rate and the households rate against last month and the year to date (January..month),
the arrears by ageing as they stand when the report is made, and each project's rate. Two
statements: the year's buckets of kpi_fee_month and one grouped pass over the open bills."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.fees.rules import BUCKETS
from domain.kpi.fee_rollups import FEE_COUNTS
from domain.reads import Reader
from domain.sla.calendar import add_months


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class FeeCounts:
    due_fen: int = 0
    waived_fen: int = 0
    collected_fen: int = 0
    collected_by_close_fen: int = 0
    bills: int = 0
    bills_paid: int = 0
    units_billed: int = 0
    units_paid: int = 0

    @property
    def billed_fen(self) -> int:
        """应收 before waivers: what the bills said."""
        return self.due_fen + self.waived_fen

    @property
    def rate(self) -> float | None:
        """收缴率, whenever paid."""
        return _rate(self.collected_fen, self.due_fen)

    @property
    def close_rate(self) -> float | None:
        """当月收缴率, paid by the month's close."""
        return _rate(self.collected_by_close_fen, self.due_fen)

    @property
    def households_rate(self) -> float | None:
        """户数收缴率: flats with every bill of the month paid."""
        return _rate(self.units_paid, self.units_billed)

    @classmethod
    def summed(cls, rows: Iterable[Any]) -> FeeCounts:
        names = [f.name for f in fields(cls)]
        totals = dict.fromkeys(names, 0)
        for r in rows:
            for n in names:
                totals[n] += int(getattr(r, n))
        return cls(**totals)


@dataclass(frozen=True)
class FeeSummary:
    month: FeeCounts
    previous: FeeCounts
    year: FeeCounts  # the periods January..month
    arrears: list[tuple[str, int]]  # (ageing label, overdue fen now), ≤ 30 days first
    by_project: dict[UUID, FeeCounts]  # the month's counts of each project that billed

    @property
    def billed(self) -> bool:
        """Whether there is anything to report: bills this year or last month, or arrears."""
        return bool(self.month.bills or self.previous.bills or self.year.bills or any(f for _, f in self.arrears))


assert FEE_COUNTS == tuple(f.name for f in fields(FeeCounts)), "the summary reads every count of the rollup"
_BUCKETS = ("SELECT project_id, month, " + ", ".join(FEE_COUNTS) + " FROM kpi_fee_month "
            "WHERE org_id = :o AND month >= :since AND month <= :month {project}")
_LATE = "(CAST(:today AS date) - due_on)"
_OWED = "(amount_fen - waived_fen - paid_fen)"


def _ageing() -> str:
    """The overdue amount per ageing bucket of domain/fees/rules.py, as FILTERed sums."""
    ranges, low = [], 1
    for key, high, _ in BUCKETS:
        upper = f" AND {_LATE} <= {high}" if high is not None else ""
        ranges.append(f"coalesce(sum({_OWED}) FILTER (WHERE {_LATE} >= {low}{upper}), 0)::bigint AS {key}")
        low = (high or 0) + 1
    return ", ".join(ranges)


# Over the partial index of open bills: what is overdue now, by how long.
_ARREARS = "SELECT " + _ageing() + " FROM bills WHERE org_id = :o AND state = 'open' AND due_on < :today {project}"


def _variants(sql: str) -> tuple[Any, Any]:
    return text(sql.format(project="")), text(sql.format(project="AND project_id = :p"))


MONTH_BUCKETS, ARREARS = _variants(_BUCKETS), _variants(_ARREARS)


async def fee_summary(db: Reader, month: date, project_id: UUID | None, today: date) -> FeeSummary:
    which = 0 if project_id is None else 1
    before = add_months(month, -1)
    rows = await db.all(MONTH_BUCKETS[which], {"o": db.org_id, "since": min(month.replace(month=1), before), "month": month,
                                               "p": project_id})
    owed = await db.first(ARREARS[which], {"o": db.org_id, "today": today, "p": project_id})
    this = [r for r in rows if r.month == month]
    return FeeSummary(
        month=FeeCounts.summed(this), previous=FeeCounts.summed(r for r in rows if r.month == before),
        year=FeeCounts.summed(r for r in rows if r.month.year == month.year),
        arrears=[(label, int(getattr(owed, key)) if owed else 0) for key, _, label in BUCKETS],
        by_project={r.project_id: FeeCounts.summed([r]) for r in this if r.bills},
    )
