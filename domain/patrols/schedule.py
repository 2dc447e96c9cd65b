"""巡查任务生成与漏巡: inside one company's wall, each project's active plans get their runs for the
coming week — one INSERT … SELECT over generate_series per project, ON CONFLICT DO NOTHING, so
the sweep may run any number of times — and each new run plants the item ladder's timers at its
window's end in the same statement (docs/centre-day.md §1), so a patrol nobody walks escalates.
A run cancelled because its plan or route was switched off comes back when they are switched on
again (the same window is made again); a run cancelled by itself stays cancelled.
Runs whose window has ended unfinished are marked missed, with the event `patrol.missed`.
Claimed with SKIP LOCKED: a run being recorded right now is its walker's."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.events import Event
from domain.patrols.model import BEIJING
from domain.unit_of_work import Aggregate, AuditEntry, Joined, UnitOfWork

ACTOR = "system:patrol-schedule"
COMPANIES = text("SELECT orgs_with_patrol_plans()")
DAYS_AHEAD = 7
_PROJECTS = text("SELECT DISTINCT project_id FROM patrol_plans WHERE org_id = :o AND active ORDER BY project_id")
# The day's window starts at the plan's Beijing time of day; only windows not yet over are made.
_MATERIALISE = text(
    "WITH made AS ("
    "  INSERT INTO patrol_runs (org_id, project_id, plan_id, route_id, due_from, due_until, points_total) "
    "  SELECT p.org_id, p.project_id, p.id, p.route_id, w.due_from, w.due_from + make_interval(mins => p.window_minutes), "
    "         (SELECT count(*) FROM patrol_points pt WHERE pt.org_id = p.org_id AND pt.route_id = p.route_id AND pt.active) "
    "  FROM patrol_plans p "
    "  JOIN patrol_routes r ON r.org_id = p.org_id AND r.id = p.route_id AND r.active "
    "  CROSS JOIN LATERAL generate_series(CAST(greatest(p.starts_on, CAST(:today AS date)) AS timestamp), "
    "                                     CAST(least(coalesce(p.ends_on, CAST(:last AS date)), CAST(:last AS date)) AS timestamp), "
    "                                     interval '1 day') AS d(day) "
    "  CROSS JOIN LATERAL (SELECT (d.day + p.window_start) AT TIME ZONE 'Asia/Shanghai' AS due_from) w "
    "  WHERE p.project_id = :p AND p.active "
    "    AND (p.cadence = 'daily' "
    "         OR (p.cadence = 'weekly' AND CAST(extract(isodow FROM d.day) AS smallint) = ANY (p.weekdays)) "
    "         OR (p.cadence = 'monthly' AND CAST(extract(day FROM d.day) AS smallint) = ANY (p.month_days))) "
    "    AND w.due_from + make_interval(mins => p.window_minutes) > :now "
    "  ON CONFLICT (org_id, plan_id, due_from) DO UPDATE SET state = 'scheduled', due_until = EXCLUDED.due_until, "
    "    points_total = EXCLUDED.points_total, cancelled_at = NULL, cancelled_by = NULL, cancel_reason = NULL, "
    "    cancelled_with = NULL "
    "    WHERE patrol_runs.state = 'cancelled' AND patrol_runs.cancelled_with IN ('plan', 'route') "
    "  RETURNING org_id, project_id, id, plan_id, due_from, due_until"
    "), ladder AS ("
    "  SELECT coalesce(max(remind_pct), 80) AS r, coalesce(max(l1_pct), 100) AS l1, coalesce(max(l2_pct), 150) AS l2, "
    "         coalesce(max(l3_pct), 200) AS l3 FROM sla_ladders WHERE org_id = :o"
    "), planted AS ("
    "  INSERT INTO item_timers (org_id, project_id, subject_kind, subject_id, level, owner_user_id, due_at) "
    "  SELECT m.org_id, m.project_id, 'patrol_run', m.id, v.level, p.assignee_user_id, "
    "         m.due_from + (m.due_until - m.due_from) * v.pct / 100.0 "
    "  FROM made m JOIN patrol_plans p ON p.org_id = m.org_id AND p.id = m.plan_id CROSS JOIN ladder l "
    "  CROSS JOIN LATERAL (VALUES ('remind', l.r), ('l1', l.l1), ('l2', l.l2), ('l3', l.l3)) AS v(level, pct) "
    "  ON CONFLICT (org_id, subject_kind, subject_id, level) DO NOTHING RETURNING 1"
    ") SELECT (SELECT count(*) FROM made) AS runs, (SELECT count(*) FROM planted) AS timers"
)
_MISSED = text(
    "UPDATE patrol_runs r SET state = 'missed', missed_at = :now FROM ("
    "  SELECT id FROM patrol_runs WHERE org_id = :o AND state IN ('scheduled', 'in_progress') AND due_until <= :now "
    "  ORDER BY due_until LIMIT :batch FOR UPDATE SKIP LOCKED) due "
    "WHERE r.org_id = :o AND r.id = due.id "
    "RETURNING r.id, r.project_id, r.plan_id, r.route_id, r.due_from, r.due_until, r.points_total, r.points_done, "
    "  r.started_at IS NOT NULL AS started"
)


async def materialise(conn: AsyncConnection, org_id: UUID, now: datetime) -> int:
    """The coming week's runs of every project of the company; how many were new."""
    made = 0
    for (project_id,) in list(await conn.execute(_PROJECTS, {"o": org_id})):
        made += await materialise_project(conn, org_id, project_id, now)
    return made


async def materialise_project(conn: AsyncConnection, org_id: UUID, project_id: UUID, now: datetime) -> int:
    """One project's coming week: also right after a plan is edited or switched on again, so its
    runs are there before the sweep's next round. Runs cancelled by a plan or route switched off
    (or a plan edited) come back when their window is made again; a run cancelled by itself never."""
    today = now.astimezone(BEIJING).date()
    row = (await conn.execute(_MATERIALISE, {"o": org_id, "p": project_id, "today": today,
                                             "last": today + timedelta(days=DAYS_AHEAD), "now": now})).one()
    made: int = row.runs
    return made


async def mark_missed(conn: AsyncConnection, org_id: UUID, now: datetime, batch: int = 500) -> int:
    rows = list(await conn.execute(_MISSED, {"o": org_id, "now": now, "batch": batch}))
    if not rows:
        return 0
    async with UnitOfWork(Joined(conn), org_id=org_id, actor=ACTOR, scope=None) as uow:
        for r in rows:
            data = {"run_id": str(r.id), "plan_id": str(r.plan_id), "route_id": str(r.route_id),
                    "due_from": r.due_from.isoformat(), "due_until": r.due_until.isoformat(), "started": r.started,
                    "points_total": r.points_total, "points_done": r.points_done}
            event = Event(topic="patrol.missed", org_id=org_id, project_id=r.project_id, payload={**data, "state": "missed"})
            uow.track(Aggregate(events=[event], audit=[AuditEntry(
                action="patrol.missed", entity="patrol_run", entity_id=r.id, project_id=r.project_id,
                from_state="in_progress" if r.started else "scheduled", to_state="missed", event_id=event.id)]))
        await uow.commit()
    return len(rows)


async def sweep_company(conn: AsyncConnection, org_id: UUID, now: datetime) -> int:
    """Both halves in the company's one transaction; how many runs were made or marked missed."""
    return await materialise(conn, org_id, now) + await mark_missed(conn, org_id, now)
