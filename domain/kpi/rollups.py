"""KPI rollups (docs/kpis.md): the counts of a cohort — the cases a project received on a Beijing
day or in a Beijing month — computed by one SQL text that serves both the worker (a project's
month, after any change to one of its cases) and the rebuild (every bucket). Same SQL, same numbers.

No deltas: a (project, month) is recomputed whole, so a redelivered or reordered event cannot skew
it. A burst of one project's events would recompute its month once per event (a quarter of a
second each at 800 cases), so the consumer skips an event whose change committed before the last
recomputation of its month began: that one counted it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.kpi.people_rollups import refresh_people, rebuild_people
from domain.sla.calendar import CHINA, add_months, beijing_midnight
from domain.sla.overdue import overdue
from tenants.telemetry import meter

COUNTS = (
    "received", "cancelled", "declined", "in_scope", "open", "commit_due", "commit_on_time", "resolved", "resolved_on_time",
    "finished", "first_time", "visited", "satisfied", "basically_satisfied", "dissatisfied", "complaints", "broken_promises",
    "escalations_l1", "escalations_l2", "escalations_l3", "overdue",
)
_SCOPE = "c.state NOT IN ('cancelled', 'declined')"
_DONE = "c.state IN ('resolved', 'confirmed', 'closed')"
# Each count, over the cohort's cases `c` with their commitment target `ct`, last resolution
# target `rt` and escalation counts `e`; overdue as domain/sla/overdue.py says.
AGGREGATES = {
    "received": "count(*)",
    "cancelled": "count(*) FILTER (WHERE c.state = 'cancelled')",
    "declined": "count(*) FILTER (WHERE c.state = 'declined')",
    "in_scope": f"count(*) FILTER (WHERE {_SCOPE})",
    "open": f"count(*) FILTER (WHERE {_SCOPE} AND NOT {_DONE})",
    "commit_due": f"count(*) FILTER (WHERE {_SCOPE} AND (ct.met_at IS NOT NULL OR ct.due_at < now()))",
    "commit_on_time": f"count(*) FILTER (WHERE {_SCOPE} AND ct.met_at <= ct.due_at)",
    "resolved": f"count(*) FILTER (WHERE {_DONE})",
    # A case whose promise was broken is late, whatever the new promise says.
    "resolved_on_time": f"count(*) FILTER (WHERE {_DONE} AND rt.met_at <= rt.due_at AND c.broken_promises = 0)",
    # The resident's word is in: confirmed or closed — or visited back and being reworked, which
    # reached its visit as much as a closed case (the visits counted are a part of these).
    "finished": "count(*) FILTER (WHERE c.state IN ('confirmed', 'closed') OR c.satisfaction IS NOT NULL)",
    "first_time": "count(*) FILTER (WHERE c.state IN ('confirmed', 'closed') AND c.reopen_count = 0)",
    "visited": "count(*) FILTER (WHERE c.satisfaction IS NOT NULL)",
    "satisfied": "count(*) FILTER (WHERE c.satisfaction = 'satisfied')",
    "basically_satisfied": "count(*) FILTER (WHERE c.satisfaction = 'basically_satisfied')",
    "dissatisfied": "count(*) FILTER (WHERE c.satisfaction = 'dissatisfied')",
    "complaints": "count(*) FILTER (WHERE c.kind = 'complaint')",
    "broken_promises": "coalesce(sum(c.broken_promises), 0)",
    "escalations_l1": "coalesce(sum(e.l1), 0)",
    "escalations_l2": "coalesce(sum(e.l2), 0)",
    "escalations_l3": "coalesce(sum(e.l3), 0)",
    "overdue": f"count(*) FILTER (WHERE {overdue('c')})",
    "handling_seconds": (f"coalesce(sum(greatest(extract(epoch FROM c.resolved_at - c.received_at) - c.paused_seconds, 0)) "
                         f"FILTER (WHERE {_DONE} AND c.resolved_at IS NOT NULL), 0)::bigint"),
}
_DAY = "(c.received_at AT TIME ZONE 'Asia/Shanghai')::date"
_MONTH = "date_trunc('month', c.received_at AT TIME ZONE 'Asia/Shanghai')::date"
_FROM = """
FROM cases c
LEFT JOIN case_targets ct ON ct.org_id = c.org_id AND ct.case_id = c.id AND ct.target = 'commit' AND ct.round = 0
LEFT JOIN LATERAL (SELECT met_at, due_at FROM case_targets r WHERE r.org_id = c.org_id AND r.case_id = c.id
                   AND r.target = 'resolve' ORDER BY r.round DESC LIMIT 1) rt ON true
LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE level = 'l1') AS l1, count(*) FILTER (WHERE level = 'l2') AS l2,
                          count(*) FILTER (WHERE level = 'l3') AS l3
                   FROM escalations x WHERE x.org_id = c.org_id AND x.case_id = c.id) e ON true
"""


def _upsert(table: str, period: str, period_expr: str, where: str, keys: tuple[str, ...] = ()) -> str:
    columns = ", ".join(AGGREGATES)
    values = ", ".join(f"{expr} AS {name}" for name, expr in AGGREGATES.items())
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in AGGREGATES)
    if table == "kpi_project_month":  # a month recomputed but not yet marked promises nothing (refresh_case marks it)
        updates += ", computed_at = NULL"
    key = "".join(f", {k}" for k in keys)
    group = "".join(f", c.{k}" for k in keys)
    return (f"INSERT INTO {table} (org_id, project_id, {period}{key}, {columns}, updated_at) "
            f"SELECT c.org_id, c.project_id, {period_expr}{group}, {values}, now() {_FROM} WHERE {where} "
            f"GROUP BY c.org_id, c.project_id, {period_expr}{group} "
            f"ON CONFLICT (org_id, project_id, {period}{key}) DO UPDATE SET {updates}, updated_at = now()")


_BUCKET = "c.org_id = :o AND c.project_id = :p AND c.received_at >= :start AND c.received_at < :end"
# A case's kind and category are fixed at registration, so it never leaves its category bucket.
_CATEGORY = ("kind", "category_id")
# The worker's three, each over a project's whole month: every day and every category of it, so
# that one recomputation answers for any case of the month (the skip in refresh_case).
DAY_BUCKET = text(_upsert("kpi_project_day", "day", _DAY, _BUCKET))
MONTH_BUCKET = text(_upsert("kpi_project_month", "month", _MONTH, _BUCKET))
CATEGORY_BUCKET = text(_upsert("kpi_category_month", "month", _MONTH, _BUCKET, _CATEGORY))
# The rebuild's company, named as a value (a sharded database routes on it; the wall alone is
# invisible to its planner): `rebuild` passes the company of the transaction's settings.
_THIS_ORG = "c.org_id = :o"
REBUILD_DAYS = text(_upsert("kpi_project_day", "day", _DAY, _THIS_ORG))
REBUILD_MONTHS = text(_upsert("kpi_project_month", "month", _MONTH, _THIS_ORG))
REBUILD_CATEGORY_MONTHS = text(_upsert("kpi_category_month", "month", _MONTH, _THIS_ORG, _CATEGORY))
# Migration 0016's backfill runs this one as the owner with the company in the settings only, and
# a migration's code does not change: kept in that form for it.
REBUILD_CATEGORIES = text(_upsert("kpi_category_month", "month", _MONTH, "c.org_id = (SELECT app_org_id())", _CATEGORY))
_CASE = text("SELECT project_id, received_at FROM cases WHERE org_id = :o AND id = :c")
_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
# True when the month's last recomputation began after the change committed: after `by`, or after
# this transaction began, which the change committed before (least() skips a NULL `by`).
_COUNTED = text("SELECT computed_at > least(CAST(:by AS timestamptz), now()) FROM kpi_project_month "
                "WHERE org_id = :o AND project_id = :p AND month = :m")
# The recomputing transaction's start: its statements' snapshots are later (READ COMMITTED), and
# the overdue and commitment counts are as of it.
_MARK = text("UPDATE kpi_project_month SET computed_at = now() WHERE org_id = :o AND project_id = :p AND month = :m")
_LIVE = (
    "INSERT INTO kpi_project_live (org_id, project_id, open, overdue) "
    "SELECT org_id, project_id, sum(open), sum(overdue) FROM kpi_project_month WHERE {where} GROUP BY org_id, project_id "
    "ON CONFLICT (org_id, project_id) DO UPDATE SET open = EXCLUDED.open, overdue = EXCLUDED.overdue, updated_at = now()"
)
LIVE_PROJECT = text(_LIVE.format(where="org_id = :o AND project_id = :p"))
REBUILD_LIVE = text(_LIVE.format(where="org_id = :o"))


# A project's month by building, straight from its cases (a few thousand rows): the same
# aggregates as the buckets, with each building's flats as its households.
BY_BUILDING = text(
    "SELECT c.building_id AS key, " + ", ".join(f"{expr} AS {name}" for name, expr in AGGREGATES.items())
    + f" {_FROM} WHERE {_BUCKET} GROUP BY c.building_id"
)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The Beijing month as [start, end) instants."""
    return beijing_midnight(month), beijing_midnight(add_months(month, 1))


ROLLUP_TABLES = ("kpi_project_day", "kpi_project_month", "kpi_category_month", "kpi_project_live")
REBUILD = (REBUILD_DAYS, REBUILD_MONTHS, REBUILD_CATEGORY_MONTHS, REBUILD_LIVE)
_SETTINGS_ORG = text("SELECT app_org_id()")
recomputations = meter.create_counter("firstcall.kpi.recomputations", description="case events: a month recomputed or not")


def cohort(received_at: datetime) -> tuple[date, date]:
    """The Beijing day and month a case belongs to."""
    local = received_at.astimezone(CHINA).date()
    return local, local.replace(day=1)


async def refresh_case(conn: AsyncConnection, org_id: UUID, case_id: UUID, committed_by: datetime | None = None) -> bool:
    """Recompute every bucket of one case's project and cohort month — its days, the month, its
    categories, its people — and the project's live row, unless a recomputation that began after
    the change committed already did. The change committed before this transaction began (an
    event's consumer), and before `committed_by` if given. True if it ran.

    A recomputation runs only when the month's mark is older than this transaction's start, so each
    one began later than the one before and never replaces counts with older ones."""
    case = (await conn.execute(_CASE, {"o": org_id, "c": case_id})).first()
    if case is None:
        return False
    month = cohort(case.received_at)[1]
    # One recomputation of a month at a time, so the last one to commit has seen every change.
    await conn.execute(_LOCK, {"k": f"kpi:{case.project_id}:{month}"})
    if (await conn.execute(_COUNTED, {"o": org_id, "p": case.project_id, "m": month, "by": committed_by})).scalar():
        return False
    bucket = {"o": org_id, "p": case.project_id, "start": month_bounds(month)[0], "end": month_bounds(month)[1]}
    for statement in (DAY_BUCKET, MONTH_BUCKET, CATEGORY_BUCKET):
        await conn.execute(statement, bucket)
    await refresh_people(conn, org_id, case.project_id, month, bucket["start"], bucket["end"])  # 量化考核, under the same lock
    await conn.execute(_MARK, {"o": org_id, "p": case.project_id, "m": month})
    # The live row sums all the project's months, each kept under its own lock: one sum at a time,
    # so the last one has seen every other month's committed rows (always taken last: no deadlock).
    await conn.execute(_LOCK, {"k": f"kpi-live:{case.project_id}"})
    await conn.execute(LIVE_PROJECT, {"o": org_id, "p": case.project_id})
    return True


async def refresh_for_event(conn: AsyncConnection, event: dict[str, Any]) -> None:
    case_id = (event.get("payload") or {}).get("case_id")
    if case_id:
        # When the relay took the event from the outbox (workers/relay.py): its change had committed.
        by = datetime.fromisoformat(event["committed_by"]) if event.get("committed_by") else None
        ran = await refresh_case(conn, UUID(event["org_id"]), UUID(case_id), by)
        recomputations.add(1, {"outcome": "recomputed" if ran else "counted already"})


async def rebuild(conn: AsyncConnection) -> None:
    """Every bucket of the caller's company (the one of the transaction's settings), from scratch."""
    await conn.execute(text("SET LOCAL statement_timeout = 0"))  # minutes on millions of cases, by design
    o = {"o": (await conn.execute(_SETTINGS_ORG)).scalar()}  # None without a company: no row, as before
    for table in ROLLUP_TABLES:
        await conn.execute(text(f"DELETE FROM {table} WHERE org_id = :o"), o)
    for statement in REBUILD:
        await conn.execute(statement, o)
    await rebuild_people(conn, o["o"])
