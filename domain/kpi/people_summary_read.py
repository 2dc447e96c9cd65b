"""月度小结 人员考核、部门考核、巡查与隐患 The monthly summary's people and safety sections
(docs/centre-day.md §7, docs/monthly-summary.md): for one Beijing month and one project — each
person's and each department's counts from `kpi_person_month`, the cost per household and the
households per head from `project_staffing` — and, for a project or per project of the company,
patrol runs by due date and hazards found in the month by grade. One statement per section,
whatever the number of people or projects; the tenant wall (and a project caller's reach) is the
tables' own row-level security."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.kpi import people_read
from domain.kpi.people_rollups import PERSON_COUNTS
from domain.kpi.rollups import month_bounds
from domain.reads import Reader

GRADES = ("major", "significant", "general", "low")

_SUMS = ", ".join(f"sum(k.{c})::bigint AS {c}" for c in PERSON_COUNTS)
# As people_read.people, with each person's name in the same statement; an actor that is not a
# user (an integrator's key) has none.
_PEOPLE = text(f"SELECT k.user_id, u.display_name AS name, {_SUMS} FROM kpi_person_month k "
               "LEFT JOIN users u ON u.org_id = k.org_id AND u.id = k.user_id "
               "WHERE k.org_id = :o AND k.project_id = :p AND k.month = :month GROUP BY k.user_id, u.display_name "
               "ORDER BY sum(k.handled) DESC, sum(k.first_received) DESC, u.display_name, k.user_id")
_COSTS = ("SELECT p.id AS project_id, p.households, s.headcount, s.labour_cost_fen, s.other_cost_fen FROM projects p "
          "JOIN project_staffing s ON s.org_id = p.org_id AND s.project_id = p.id AND s.month = :month WHERE p.org_id = :o {project}")
# A run counts in the month it was due; a cancelled one was never due.
_PATROLS = ("SELECT project_id, count(*) FILTER (WHERE state <> 'cancelled') AS due, "
            "count(*) FILTER (WHERE state = 'done') AS done, count(*) FILTER (WHERE state = 'missed') AS missed "
            "FROM patrol_runs WHERE org_id = :o AND due_from >= :start AND due_from < :end {project} GROUP BY project_id")
# The month's hazards (found in it), as they stand now: rectified by their deadline, or not —
# rectified late, or still unrectified past it. A risk accepted is neither.
_HAZARDS = ("SELECT project_id, grade, count(*) AS found, "
            "count(*) FILTER (WHERE rectified_at IS NOT NULL AND rectified_at <= deadline) AS on_time, "
            "count(*) FILTER (WHERE rectified_at > deadline OR (rectified_at IS NULL AND state <> 'accepted' "
            "AND deadline < now())) AS overdue "
            "FROM hazards WHERE org_id = :o AND created_at >= :start AND created_at < :end {project} GROUP BY project_id, grade")


def _variants(sql: str, column: str) -> tuple[Any, Any]:
    return text(sql.format(project="")), text(sql.format(project=("WHERE" if "WHERE" not in sql else "AND") + f" {column} = :p"))


COSTS, PATROLS, HAZARDS = _variants(_COSTS, "p.id"), _variants(_PATROLS, "project_id"), _variants(_HAZARDS, "project_id")


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Costs:
    households: int
    headcount: int
    cost_fen: int  # labour + other, for the month

    @property
    def per_household_fen(self) -> float | None:
        """户均成本 for the month."""
        return rate(self.cost_fen, self.households)

    @property
    def households_per_head(self) -> float | None:
        """人均服务户数."""
        return rate(self.households, self.headcount)


@dataclass(frozen=True)
class Patrols:
    due: int = 0
    done: int = 0
    missed: int = 0

    @property
    def done_rate(self) -> float | None:
        return rate(self.done, self.due)


@dataclass(frozen=True)
class Hazards:
    found: int = 0
    on_time: int = 0
    overdue: int = 0

    def plus(self, other: Hazards) -> Hazards:
        return Hazards(self.found + other.found, self.on_time + other.on_time, self.overdue + other.overdue)


@dataclass(frozen=True)
class ProjectOps:
    """One project's costs (when entered), patrols and hazards of the month."""
    costs: Costs | None = None
    patrols: Patrols = field(default_factory=Patrols)
    hazards: dict[str, Hazards] = field(default_factory=dict)  # by grade

    @property
    def hazards_total(self) -> Hazards:
        total = Hazards()
        for h in self.hazards.values():
            total = total.plus(h)
        return total

    @property
    def reported(self) -> bool:
        return self.costs is not None or bool(self.patrols.due) or bool(self.hazards)


@dataclass(frozen=True)
class PeopleSummary:
    people: list[Any]  # rows: user_id, name, the counts of PERSON_COUNTS (a project's summary, staff readers only)
    departments: list[Any]  # rows: department_id, name, people, the counts
    by_project: dict[UUID, ProjectOps]  # projects with anything to report

    def total(self) -> ProjectOps:
        """The projects summed: costs over the projects that entered them."""
        ops = list(self.by_project.values())
        entered = [o.costs for o in ops if o.costs is not None]
        costs = Costs(sum(c.households for c in entered), sum(c.headcount for c in entered),
                      sum(c.cost_fen for c in entered)) if entered else None
        hazards: dict[str, Hazards] = {}
        for o in ops:
            for g, h in o.hazards.items():
                hazards[g] = hazards.get(g, Hazards()).plus(h)
        return ProjectOps(costs, Patrols(*(sum(getattr(o.patrols, n) for o in ops) for n in ("due", "done", "missed"))), hazards)


async def people_summary(db: Reader, month: date, project_id: UUID | None, staff: bool) -> PeopleSummary:
    """`staff`: the caller may read the project's people (staff:read); otherwise no person or
    department rows are read at all."""
    which = 0 if project_id is None else 1
    start, end = month_bounds(month)
    people, departments = [], []
    if project_id is not None and staff:
        people = list(await db.all(_PEOPLE, {"o": db.org_id, "p": project_id, "month": month}))
        departments = list(await people_read.departments(db, project_id, month))
    costs = {r.project_id: Costs(int(r.households), int(r.headcount), int(r.labour_cost_fen) + int(r.other_cost_fen))
             for r in await db.all(COSTS[which], {"o": db.org_id, "month": month, "p": project_id})}
    patrols = {r.project_id: Patrols(int(r.due), int(r.done), int(r.missed))
               for r in await db.all(PATROLS[which], {"o": db.org_id, "start": start, "end": end, "p": project_id})}
    hazards: dict[UUID, dict[str, Hazards]] = {}
    for r in await db.all(HAZARDS[which], {"o": db.org_id, "start": start, "end": end, "p": project_id}):
        hazards.setdefault(r.project_id, {})[r.grade] = Hazards(int(r.found), int(r.on_time), int(r.overdue))
    ids = set(costs) | set(patrols) | set(hazards)
    by_project = {p: ProjectOps(costs.get(p), patrols.get(p, Patrols()), hazards.get(p, {})) for p in ids}
    return PeopleSummary(people, departments, by_project)
