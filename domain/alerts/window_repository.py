"""The window rules in PostgreSQL, each evaluated by a worker from the event that can change its
verdict: a reopening (`case.reopened`, or `case.rework` after a dissatisfied return visit), an
L1 timer escalation (`case.escalated`), a return visit (`case.closed`, `case.rework`). Each
counts in one statement and raises through the same one-open-alert-per-scope upsert."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.alerts.repository import _raise, alert_settings
from domain.alerts.window_rules import breach_rate, repeat_reopened, satisfaction
from domain.sla.calendar import CHINA, add_months, beijing_midnight
from domain.unit_of_work import UnitOfWork

_REOPENED = text(
    "SELECT c.id, c.org_id, c.project_id, c.number, c.reopen_count, c.reporter_resident_id, r.name AS resident "
    "FROM cases c LEFT JOIN residents r ON r.id = c.reporter_resident_id WHERE c.org_id = :o AND c.id = :c"
)
_PROJECT = text("SELECT id, org_id, name FROM projects WHERE org_id = :o AND id = :p")
# The in-scope cases the project received in the window, and those with a target that passed its
# due time: an L1 escalation fired by a timer (immediate escalations are not lateness).
_BREACH = text(
    "SELECT count(*) AS cases, count(*) FILTER (WHERE b.breached) AS breached, "
    "  (array_agg(c.id::text ORDER BY c.received_at) FILTER (WHERE b.breached))[1:50] AS ids "
    "FROM cases c CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM escalations e WHERE e.org_id = c.org_id "
    "  AND e.case_id = c.id AND e.level = 'l1' AND e.reason = 'timer') AS breached) b "
    "WHERE c.org_id = :o AND c.project_id = :p AND c.received_at > now() - make_interval(days => :d) "
    "AND c.state NOT IN ('cancelled', 'declined')"
)
_VISITED = text("SELECT c.project_id, c.received_at, c.satisfaction, p.name AS project FROM cases c "
                "JOIN projects p ON p.id = c.project_id WHERE c.org_id = :o AND c.id = :c")
# This month's cohort and last month's, in one pass over the two months' cases (docs/kpis.md).
_GOOD = "c.satisfaction IN ('satisfied', 'basically_satisfied')"
_SATISFACTION = text(
    "SELECT count(*) FILTER (WHERE c.received_at >= :start AND c.satisfaction IS NOT NULL) AS visited, "
    f"  count(*) FILTER (WHERE c.received_at >= :start AND {_GOOD}) AS good, "
    "  count(*) FILTER (WHERE c.received_at < :start AND c.satisfaction IS NOT NULL) AS last_visited, "
    f"  count(*) FILTER (WHERE c.received_at < :start AND {_GOOD}) AS last_good, "
    "  (array_agg(c.id::text ORDER BY c.received_at) "
    "    FILTER (WHERE c.received_at >= :start AND c.satisfaction = 'dissatisfied'))[1:50] AS ids "
    "FROM cases c WHERE c.org_id = :o AND c.project_id = :p AND c.received_at >= :last_start AND c.received_at < :end"
)


async def _lock(conn: AsyncConnection, key: str) -> None:
    """One evaluation of a scope at a time: the last to commit has counted every change before it."""
    await conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})


async def evaluate_reopened(uow: UnitOfWork, event: dict[str, Any]) -> None:
    conn = uow.conn
    case = (await conn.execute(_REOPENED, {"o": uow.org_id, "c": UUID(event["payload"]["case_id"])})).first()
    if case is None:
        return
    s = await alert_settings(conn, uow.org_id)
    resident = str(case.reporter_resident_id) if case.reporter_resident_id else None
    alert = repeat_reopened(str(case.id), case.number, resident, case.resident or "住户", case.reopen_count, s)
    if alert is not None:
        await _raise(uow, case.org_id, case.project_id, alert)


async def evaluate_breach_rate(uow: UnitOfWork, event: dict[str, Any]) -> None:
    conn = uow.conn
    payload = event["payload"]
    if payload.get("level") != "l1" or payload.get("reason") != "timer":
        return
    project = (await conn.execute(_PROJECT, {"o": uow.org_id, "p": UUID(event["project_id"])})).first()
    if project is None:
        return
    s = await alert_settings(conn, uow.org_id)
    await _lock(conn, f"window:sla_breach:{project.id}")
    n = (await conn.execute(_BREACH, {"o": uow.org_id, "p": project.id, "d": s.breach_days})).one()
    alert = breach_rate(str(project.id), project.name, n.cases, n.breached, tuple(n.ids or ()), s)
    if alert is not None:
        await _raise(uow, project.org_id, project.id, alert)


async def evaluate_satisfaction(uow: UnitOfWork, event: dict[str, Any]) -> None:
    conn = uow.conn
    case = (await conn.execute(_VISITED, {"o": uow.org_id, "c": UUID(event["payload"]["case_id"])})).first()
    if case is None or case.satisfaction is None:
        return
    month = case.received_at.astimezone(CHINA).date().replace(day=1)  # the cohort the visit counts in
    last, following = add_months(month, -1), add_months(month, 1)
    s = await alert_settings(conn, uow.org_id)
    await _lock(conn, f"window:satisfaction:{case.project_id}:{month}")
    n = (await conn.execute(_SATISFACTION, {"o": uow.org_id, "p": case.project_id, "start": beijing_midnight(month),
                                            "last_start": beijing_midnight(last), "end": beijing_midnight(following)})).one()
    alert = satisfaction(str(case.project_id), case.project, month, n.visited, n.good, n.last_visited, n.last_good,
                         tuple(n.ids or ()), s)
    if alert is not None:
        await _raise(uow, UUID(event["org_id"]), case.project_id, alert)
