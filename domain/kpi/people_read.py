"""量化考核 What the people's figures read (docs/centre-day.md §7): a project's month per person and per
department from `kpi_person_month`, and its costs per household and per head from
`project_staffing` and the project's households (as docs/kpis.md counts them)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.kpi.people_rollups import PERSON_COUNTS
from domain.reads import Reader

_SUMS = ", ".join(f"sum(k.{c})::bigint AS {c}" for c in PERSON_COUNTS)
# A person's rows (one per department they handled for, one for their other roles) summed.
_PEOPLE = text(f"SELECT k.user_id, {_SUMS} FROM kpi_person_month k WHERE k.org_id = :o AND k.project_id = :p AND k.month = :month "
               "GROUP BY k.user_id ORDER BY sum(k.handled) DESC, sum(k.first_received) DESC, k.user_id")
# A department's figures are its handlers' rows: only they carry a department.
_DEPARTMENTS = text(f"SELECT k.department_id, d.name, count(DISTINCT k.user_id) AS people, {_SUMS} FROM kpi_person_month k "
                    "JOIN departments d ON d.org_id = k.org_id AND d.id = k.department_id "
                    "WHERE k.org_id = :o AND k.project_id = :p AND k.month = :month GROUP BY k.department_id, d.name "
                    "ORDER BY sum(k.handled) DESC, d.name")
_COSTS = text("SELECT p.households, s.headcount, s.labour_cost_fen, s.other_cost_fen, s.by, s.at FROM projects p "
              "LEFT JOIN project_staffing s ON s.org_id = p.org_id AND s.project_id = p.id AND s.month = :month "
              "WHERE p.org_id = :o AND p.id = :p")


async def people(db: Reader, project_id: UUID, month: date) -> list[Row[Any]]:
    return await db.all(_PEOPLE, {"o": db.org_id, "p": project_id, "month": month})


async def departments(db: Reader, project_id: UUID, month: date) -> list[Row[Any]]:
    return await db.all(_DEPARTMENTS, {"o": db.org_id, "p": project_id, "month": month})


async def costs(db: Reader, project_id: UUID, month: date) -> Row[Any] | None:
    return await db.first(_COSTS, {"o": db.org_id, "p": project_id, "month": month})
