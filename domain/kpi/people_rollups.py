"""People's figures (量化考核, docs/centre-day.md §7): per person and cohort month, the counts of
the cases they touched, recomputed whole for a (project, month) by one SQL text that serves both
the `kpi` consumer (beside the project buckets, in the same transaction) and the rebuild.

A case's people change as it walks (the handler is the last to accept), so a bucket is deleted and
inserted again rather than upserted: a person who no longer handles anything of the month loses
their row. Each case gives one row per role it names, one per person its praise names (表扬) and one
per return visit to its staff (投诉回访员工); the handler's row carries the case's department, a
praised or visited person's row their own (their staff record's in the project), which a
department's figures sum over."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_DONE = "c.state IN ('resolved', 'confirmed', 'closed')"
_HANDLED = "r.role = 'handler'"
# As domain/kpi/rollups.py's AGGREGATES, over the cases each person handled.
PERSON_AGGREGATES = {
    "first_received": "count(*) FILTER (WHERE r.role = 'first')",
    "taken_at_reception": "count(*) FILTER (WHERE r.role = 'reception')",
    "handled": f"count(*) FILTER (WHERE {_HANDLED})",
    "resolved": f"count(*) FILTER (WHERE {_HANDLED} AND {_DONE})",
    # A case whose promise was broken is late, whatever the new promise says.
    "resolved_on_time": f"count(*) FILTER (WHERE {_HANDLED} AND {_DONE} AND rt.met_at <= rt.due_at AND c.broken_promises = 0)",
    "visited": f"count(*) FILTER (WHERE {_HANDLED} AND c.satisfaction IS NOT NULL)",
    "satisfied": f"count(*) FILTER (WHERE {_HANDLED} AND c.satisfaction = 'satisfied')",
    "basically_satisfied": f"count(*) FILTER (WHERE {_HANDLED} AND c.satisfaction = 'basically_satisfied')",
    "dissatisfied": f"count(*) FILTER (WHERE {_HANDLED} AND c.satisfaction = 'dissatisfied')",
    "broken_promises": f"coalesce(sum(c.broken_promises) FILTER (WHERE {_HANDLED}), 0)",
    "rework": f"count(*) FILTER (WHERE {_HANDLED} AND c.reopen_count > 0)",
    "visits_done": "count(*) FILTER (WHERE r.role = 'visitor')",
    # 表扬: praise cases naming the person (cases.praised_user_ids, set at intake).
    "praise": "count(*) FILTER (WHERE r.role = 'praised')",
    # 投诉回访员工: the return visits the person received after a complaint about them.
    "staff_visits": "count(*) FILTER (WHERE r.role = 'staff_visit')",
    "staff_visits_acknowledged": "count(*) FILTER (WHERE r.role = 'staff_visit' AND r.outcome = 'acknowledged')",
    "staff_visits_disputed": "count(*) FILTER (WHERE r.role = 'staff_visit' AND r.outcome = 'disputed')",
    "staff_visits_coached": "count(*) FILTER (WHERE r.role = 'staff_visit' AND r.outcome = 'coached')",
}
PERSON_COUNTS = tuple(PERSON_AGGREGATES)
_MONTH = "date_trunc('month', c.received_at AT TIME ZONE 'Asia/Shanghai')::date"
# A person praised or visited carries their department: their staff record's, in the case's project.
_OWN_DEPARTMENT = ("(SELECT s.department_id FROM users u JOIN staff s ON s.org_id = u.org_id AND s.id = u.staff_id "
                   "WHERE u.org_id = c.org_id AND u.id = {user} AND s.project_id = c.project_id)")
_FROM = f"""
FROM cases c
CROSS JOIN LATERAL (
  SELECT * FROM (VALUES ('first', c.first_receiver_id, NULL::uuid, NULL::text), ('reception', c.reception_user_id, NULL::uuid, NULL),
                        ('handler', c.handler_id, c.department_id, NULL), ('visitor', c.visited_by, NULL::uuid, NULL))
                AS v (role, user_id, department_id, outcome)
  UNION ALL
  SELECT 'praised', p.user_id, {_OWN_DEPARTMENT.format(user="p.user_id")}, NULL
  FROM unnest(c.praised_user_ids) AS p (user_id) WHERE c.kind = 'praise'
  UNION ALL
  SELECT 'staff_visit', sv.user_id, {_OWN_DEPARTMENT.format(user="sv.user_id")}, sv.outcome
  FROM staff_visits sv WHERE sv.org_id = c.org_id AND sv.case_id = c.id
) AS r (role, user_id, department_id, outcome)
LEFT JOIN LATERAL (SELECT met_at, due_at FROM case_targets t WHERE t.org_id = c.org_id AND t.case_id = c.id
                   AND t.target = 'resolve' ORDER BY t.round DESC LIMIT 1) rt ON true
"""


def _insert(where: str) -> str:
    columns = ", ".join(PERSON_AGGREGATES)
    values = ", ".join(f"{expr} AS {name}" for name, expr in PERSON_AGGREGATES.items())
    return (f"INSERT INTO kpi_person_month (org_id, project_id, month, user_id, department_id, {columns}) "
            f"SELECT c.org_id, c.project_id, {_MONTH}, r.user_id, r.department_id, {values} {_FROM} "
            f"WHERE r.user_id IS NOT NULL AND {where} GROUP BY c.org_id, c.project_id, {_MONTH}, r.user_id, r.department_id")


_BUCKET = "c.org_id = :o AND c.project_id = :p AND c.received_at >= :start AND c.received_at < :end"
CLEAR_BUCKET = text("DELETE FROM kpi_person_month WHERE org_id = :o AND project_id = :p AND month = :month")
PERSON_BUCKET = text(_insert(_BUCKET))
CLEAR_ALL = text("DELETE FROM kpi_person_month WHERE org_id = :o")
REBUILD_PEOPLE = text(_insert("c.org_id = :o"))


async def refresh_people(conn: AsyncConnection, org_id: UUID, project_id: UUID, month: date, start: datetime,
                         end: datetime) -> None:
    """Every person's counts of one project's cohort month, from its cases. The caller holds the
    bucket's advisory lock, so the last recomputation to commit has seen every change."""
    await conn.execute(CLEAR_BUCKET, {"o": org_id, "p": project_id, "month": month})
    await conn.execute(PERSON_BUCKET, {"o": org_id, "p": project_id, "start": start, "end": end})


async def rebuild_people(conn: AsyncConnection, org_id: UUID | None) -> None:
    """Every person's counts of the company, from scratch (part of the KPI rebuild)."""
    await conn.execute(CLEAR_ALL, {"o": org_id})
    await conn.execute(REBUILD_PEOPLE, {"o": org_id})
