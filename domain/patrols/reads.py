"""巡查 as staff read it: a project's routes and their points, the runs in a span of Beijing days,
one run's visits, and the rows a QR sheet prints. Under the caller's row-level security."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

ROUTE_COLUMNS = "r.id, r.project_id, r.name, r.kind, r.department_id, r.active, r.created_at"
POINT_COLUMNS = ("pt.id, pt.project_id, pt.route_id, pt.position, pt.name, pt.building_id, pt.place, pt.checks, pt.token, "
                 "pt.active, pt.added_at")
RUN_COLUMNS = ("x.id, x.project_id, x.plan_id, x.route_id, x.due_from, x.due_until, x.state, x.started_by, x.started_at, "
               "x.finished_at, x.points_total, x.points_done, x.missed_at, x.cancelled_at, x.cancelled_by, x.cancel_reason, "
               "p.assignee_user_id, p.department_id")
VISIT_COLUMNS = ("v.id, v.project_id, v.run_id, v.point_id, v.at, v.scanned, v.result, v.note, v.photos, v.talked_unit_id, "
                 "v.talked_resident_id, v.talk_note, v.by, v.case_id")
PLAN_COLUMNS = ("p.id, p.project_id, p.route_id, p.assignee_user_id, p.department_id, p.cadence, p.weekdays, p.month_days, "
                "p.window_start, p.window_minutes, p.starts_on, p.ends_on, p.active")

_ROUTES = text(f"SELECT {ROUTE_COLUMNS} FROM patrol_routes r WHERE r.org_id = :o AND r.project_id = :p AND (:inactive OR r.active) "
               "ORDER BY r.name, r.id")
_ROUTE = text(f"SELECT {ROUTE_COLUMNS} FROM patrol_routes r WHERE r.org_id = :o AND r.id = :id")
_POINTS = text(f"SELECT {POINT_COLUMNS} FROM patrol_points pt WHERE pt.org_id = :o AND pt.route_id = ANY (:ids) "
               "ORDER BY pt.route_id, pt.position")
_POINT = text(f"SELECT {POINT_COLUMNS} FROM patrol_points pt WHERE pt.org_id = :o AND pt.id = :id")
_PLANS = text(f"SELECT {PLAN_COLUMNS} FROM patrol_plans p WHERE p.org_id = :o AND p.route_id = ANY (:ids) "
              "ORDER BY p.route_id, p.created_at, p.id")
_PLAN = text(f"SELECT {PLAN_COLUMNS} FROM patrol_plans p WHERE p.org_id = :o AND p.id = :id")
_RUNS = text(
    f"SELECT {RUN_COLUMNS} FROM patrol_runs x JOIN patrol_plans p ON p.org_id = x.org_id AND p.id = x.plan_id "
    "WHERE x.org_id = :o AND x.project_id = :p AND x.due_from >= CAST(CAST(:since AS date) AS timestamp) AT TIME ZONE 'Asia/Shanghai' "
    "  AND x.due_from < CAST(CAST(:until AS date) + 1 AS timestamp) AT TIME ZONE 'Asia/Shanghai' "
    "  AND (CAST(:state AS text) IS NULL OR x.state = :state) "
    "ORDER BY x.due_from, x.id LIMIT :limit"
)
_RUN = text(f"SELECT {RUN_COLUMNS} FROM patrol_runs x JOIN patrol_plans p ON p.org_id = x.org_id AND p.id = x.plan_id "
            "WHERE x.org_id = :o AND x.id = :id")
_VISITS = text(f"SELECT {VISIT_COLUMNS}, pt.position FROM patrol_visits v JOIN patrol_points pt ON pt.org_id = v.org_id "
               "AND pt.id = v.point_id WHERE v.org_id = :o AND v.run_id = ANY (:ids) ORDER BY v.run_id, pt.position")
_VISIT = text(f"SELECT {VISIT_COLUMNS} FROM patrol_visits v WHERE v.org_id = :o AND v.id = :id")
_SHEET = text(
    "SELECT r.name AS route_name, r.kind, pr.name AS project_name, pt.position, pt.name, pt.place, pt.token "
    "FROM patrol_routes r JOIN projects pr ON pr.org_id = r.org_id AND pr.id = r.project_id "
    "JOIN patrol_points pt ON pt.org_id = r.org_id AND pt.route_id = r.id AND pt.active "
    "WHERE r.org_id = :o AND r.id = :id ORDER BY pt.position"
)


async def routes(db: Reader, project_id: UUID, *, inactive: bool) -> list[Row[Any]]:
    return await db.all(_ROUTES, {"o": db.org_id, "p": project_id, "inactive": inactive})


async def route(db: Reader, route_id: UUID) -> Row[Any] | None:
    return await db.first(_ROUTE, {"o": db.org_id, "id": route_id})


async def points(db: Reader, route_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_POINTS, {"o": db.org_id, "ids": list(route_ids)})


async def point(db: Reader, point_id: UUID) -> Row[Any] | None:
    return await db.first(_POINT, {"o": db.org_id, "id": point_id})


async def plans(db: Reader, route_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_PLANS, {"o": db.org_id, "ids": list(route_ids)})


async def plan(db: Reader, plan_id: UUID) -> Row[Any] | None:
    return await db.first(_PLAN, {"o": db.org_id, "id": plan_id})


async def runs(db: Reader, project_id: UUID, *, since: date, until: date, state: str | None, limit: int) -> list[Row[Any]]:
    return await db.all(_RUNS, {"o": db.org_id, "p": project_id, "since": since, "until": until, "state": state, "limit": limit})


async def run(db: Reader, run_id: UUID) -> Row[Any] | None:
    return await db.first(_RUN, {"o": db.org_id, "id": run_id})


async def visits(db: Reader, run_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_VISITS, {"o": db.org_id, "ids": list(run_ids)})


async def visit(db: Reader, visit_id: UUID) -> Row[Any] | None:
    return await db.first(_VISIT, {"o": db.org_id, "id": visit_id})


async def sheet(db: Reader, route_id: UUID) -> list[Row[Any]]:
    return await db.all(_SHEET, {"o": db.org_id, "id": route_id})
