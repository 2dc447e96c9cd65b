"""早会 The morning briefing of a project for a Beijing day: what the night left, what came in
since the day shift went home, what is late now, what went wrong yesterday, which patrols were
missed and which hazards are past their deadline, and which notices go out today. One read model,
one statement per section, under the caller's row-level security.

The night runs from 18:00 the day before to 08:00 (Beijing); a day shift is a log started
between 06:00 and 18:00."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.handover.reads import ENTRY_COLUMNS
from domain.handover.rules import FLAG_AFTER_CARRIES
from domain.hazards.reads import HAZARD_COLUMNS
from domain.improvements.reads import ACTION_COLUMNS
from domain.notices.reads import NOTICE_COLUMNS
from domain.patrols.reads import RUN_COLUMNS
from domain.reads import Reader
from domain.sla.overdue import overdue

BEIJING = timezone(timedelta(hours=8))
NIGHT_FROM, DAY_FROM = time(18), time(8)
SECTION_LIMIT = 100

# The night's open items, each once: the night's last copy of it (an item carried into the
# morning's log still counts as the night's); `carries` counts the handover it is crossing now.
_NIGHT_ITEMS = text(
    f"SELECT {ENTRY_COLUMNS}, e.carry_count + (EXISTS (SELECT 1 FROM shift_log_entries n WHERE n.org_id = e.org_id "
    "  AND n.carried_from = e.id))::int AS carries, count(*) OVER () AS total "
    "FROM shift_log_entries e JOIN shift_logs l ON l.org_id = e.org_id AND l.id = e.log_id "
    "WHERE e.org_id = :o AND e.project_id = :p AND e.kind = 'open_item' AND e.done_at IS NULL "
    "  AND l.shift_start < :night_end AND l.shift_end > :night_start "
    "  AND NOT EXISTS (SELECT 1 FROM shift_log_entries n JOIN shift_logs nl ON nl.org_id = n.org_id AND nl.id = n.log_id "
    "    WHERE n.org_id = e.org_id AND n.carried_from = e.id AND nl.shift_start < :night_end AND nl.shift_end > :night_start) "
    "ORDER BY carries DESC, e.at, e.id LIMIT :n"
)
_SINCE_DAY_SHIFT = text(
    "SELECT c.id, count(*) OVER () AS total, s.since FROM cases c, (SELECT coalesce(("
    "  SELECT max(l.shift_end) FROM shift_logs l WHERE l.org_id = :o AND l.project_id = :p AND l.shift_end <= :night_end "
    "  AND (l.shift_start AT TIME ZONE 'Asia/Shanghai')::time >= '06:00' "
    "  AND (l.shift_start AT TIME ZONE 'Asia/Shanghai')::time < '18:00'), CAST(:night_start AS timestamptz)) AS since) s "
    "WHERE c.org_id = :o AND c.project_id = :p AND c.received_at >= s.since AND c.received_at < :day_end "
    "ORDER BY c.received_at, c.id LIMIT :n"
)
_OVERDUE = text(
    f"SELECT c.id, count(*) OVER () AS total FROM cases c WHERE c.org_id = :o AND c.project_id = :p "
    f"AND {overdue('c')} "
    "ORDER BY c.received_at, c.id LIMIT :n"
)
_ALERTS = text(
    "SELECT colour, count(*) AS n FROM alerts WHERE org_id = :o AND project_id = :p AND state <> 'resolved' GROUP BY colour"
)
_ACTIONS = text(
    f"SELECT {ACTION_COLUMNS}, count(*) OVER () AS total FROM improvement_actions a "
    "WHERE a.org_id = :o AND a.project_id = :p AND a.state = 'open' AND a.due_on < :d ORDER BY a.due_on, a.id LIMIT :n"
)
_BROKEN = text(
    "SELECT entity_id AS case_id, at, actor, data->>'reason' AS reason, count(*) OVER () AS total FROM audit_log "
    "WHERE org_id = :o AND project_id = :p AND entity = 'case' AND action = 'case.promise_broken' "
    "AND at >= :y_start AND at < :y_end "
    "ORDER BY at, id LIMIT :n"
)

# Runs due to end from yesterday 00:00 to 08:00 this morning and not walked: marked missed by the
# sweep, or past their window and not yet swept.
_MISSED_RUNS = text(
    f"SELECT {RUN_COLUMNS}, r.name AS route_name, r.kind AS route_kind, count(*) OVER () AS total FROM patrol_runs x "
    "JOIN patrol_plans p ON p.org_id = x.org_id AND p.id = x.plan_id "
    "JOIN patrol_routes r ON r.org_id = x.org_id AND r.id = x.route_id "
    "WHERE x.org_id = :o AND x.project_id = :p AND x.due_until >= :y_start AND x.due_until < :night_end "
    "  AND (x.state = 'missed' OR (x.state IN ('scheduled', 'in_progress') AND x.due_until < now())) "
    "ORDER BY x.due_until, x.id LIMIT :n"
)
# Hazards still to put right whose deadline has passed, the longest past first.
_OVERDUE_HAZARDS = text(
    f"SELECT {HAZARD_COLUMNS}, count(*) OVER () AS total FROM hazards h "
    "WHERE h.org_id = :o AND h.project_id = :p AND h.state IN ('open', 'rectifying') AND h.deadline < now() "
    "ORDER BY h.deadline, h.id LIMIT :n"
)
# Approved notices that go out on the day: scheduled for it, or already published during it.
_NOTICES_TODAY = text(
    f"SELECT {NOTICE_COLUMNS}, count(*) OVER () AS total FROM notices n "
    "WHERE n.org_id = :o AND n.project_id = :p "
    "AND ((n.state = 'scheduled' AND n.publish_at >= :day_start AND n.publish_at < :day_end) "
    "  OR (n.state = 'published' AND n.published_at >= :day_start AND n.published_at < :day_end)) "
    "ORDER BY coalesce(n.published_at, n.publish_at), n.id LIMIT :n"
)


@dataclass(frozen=True)
class Window:
    night_start: datetime
    night_end: datetime
    yesterday_start: datetime
    day_end: datetime


def window(day: date) -> Window:
    start = datetime.combine(day, time(), BEIJING)
    return Window(night_start=datetime.combine(day - timedelta(days=1), NIGHT_FROM, BEIJING),
                  night_end=datetime.combine(day, DAY_FROM, BEIJING), yesterday_start=start - timedelta(days=1),
                  day_end=start + timedelta(days=1))


@dataclass(frozen=True)
class Briefing:
    day: date
    window: Window
    night_items: list[Row[Any]]
    received: list[Row[Any]]
    overdue: list[Row[Any]]
    alerts: dict[str, int]
    actions: list[Row[Any]]
    broken: list[Row[Any]]
    missed_runs: list[Row[Any]]
    hazards: list[Row[Any]]
    notices: list[Row[Any]]


def total(rows: list[Row[Any]]) -> int:
    return int(rows[0].total) if rows else 0


def flagged(carries: int) -> bool:
    return carries >= FLAG_AFTER_CARRIES


async def morning_briefing(db: Reader, project_id: UUID, day: date) -> Briefing:
    w = window(day)
    p = {"o": db.org_id, "p": project_id, "n": SECTION_LIMIT}
    night = {**p, "night_start": w.night_start, "night_end": w.night_end}
    return Briefing(
        day=day, window=w,
        night_items=await db.all(_NIGHT_ITEMS, night),
        received=await db.all(_SINCE_DAY_SHIFT, {**night, "day_end": w.day_end}),
        overdue=await db.all(_OVERDUE, p),
        alerts={r.colour: int(r.n) for r in await db.all(_ALERTS, {"o": db.org_id, "p": project_id})},
        actions=await db.all(_ACTIONS, {**p, "d": day}),
        broken=await db.all(_BROKEN, {**p, "y_start": w.yesterday_start, "y_end": w.yesterday_start + timedelta(days=1)}),
        missed_runs=await db.all(_MISSED_RUNS, {**p, "y_start": w.yesterday_start, "night_end": w.night_end}),
        hazards=await db.all(_OVERDUE_HAZARDS, p),
        notices=await db.all(_NOTICES_TODAY, {**p, "day_start": w.yesterday_start + timedelta(days=1), "day_end": w.day_end}),
    )
