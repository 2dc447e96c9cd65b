"""Routes, points, plans, runs and visits in PostgreSQL, in the caller's unit of work. Reads run
under the caller's row-level security: a route, point or run of another company or project is
not found."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.directory.repository import DirectoryRepository
from domain.errors import DomainError, ErrorCode, ErrorReason, invalid, not_found
from domain.events import Event
from domain.patrols.model import Run
from domain.patrols.rules import TAIL_LENGTH, TOKEN_LENGTH
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork

_ROUTE = text("SELECT id, project_id, active FROM patrol_routes WHERE org_id = :o AND id = :id")
_DEPARTMENT = text("SELECT 1 FROM departments WHERE org_id = :o AND id = :id AND project_id = :p")
_BUILDING = text("SELECT 1 FROM buildings WHERE org_id = :o AND id = :id AND project_id = :p")
_INSERT_ROUTE = text(
    "INSERT INTO patrol_routes (org_id, project_id, name, kind, department_id, created_by) "
    "VALUES (:o, :p, :name, :kind, :dept, :actor) ON CONFLICT (org_id, project_id, name) DO NOTHING RETURNING id"
)
# The next position on the route; the route row is locked so two points added at once queue.
_INSERT_POINT = text(
    "INSERT INTO patrol_points (org_id, project_id, route_id, position, name, building_id, place, checks, token) "
    "SELECT :o, :p, :route, coalesce(max(position), 0) + 1, :name, :building, :place, CAST(:checks AS text[]), :token "
    "FROM patrol_points WHERE org_id = :o AND route_id = :route RETURNING id"
)
_LOCK_ROUTE = text("SELECT id FROM patrol_routes WHERE org_id = :o AND id = :id FOR UPDATE")
_INSERT_PLAN = text(
    "INSERT INTO patrol_plans (org_id, project_id, route_id, assignee_user_id, department_id, cadence, weekdays, month_days, "
    "  window_start, window_minutes, starts_on, ends_on, created_by) "
    "VALUES (:o, :p, :route, :assignee, :dept, :cadence, CAST(:weekdays AS smallint[]), CAST(:month_days AS smallint[]), "
    "  :start, :minutes, :starts_on, :ends_on, :actor) RETURNING id"
)
_RUN_LOCKED = text(
    "SELECT r.id, r.org_id, r.project_id, r.plan_id, r.route_id, r.due_from, r.due_until, r.state, r.points_total, "
    "  r.points_done, r.started_by, r.started_at, r.finished_at, r.cancelled_at, r.cancelled_by, r.cancel_reason, "
    "  p.assignee_user_id, p.department_id "
    "FROM patrol_runs r JOIN patrol_plans p ON p.org_id = r.org_id AND p.id = r.plan_id WHERE r.org_id = :o AND r.id = :id FOR UPDATE OF r"
)
_SAVE_RUN = text(
    "UPDATE patrol_runs SET state = :state, started_by = :started_by, started_at = :started_at, finished_at = :finished_at, "
    "points_done = :points_done, cancelled_at = :cancelled_at, cancelled_by = :cancelled_by, cancel_reason = :cancel_reason, "
    "cancelled_with = :cancelled_with WHERE org_id = :o AND id = :id"
)
# The walker's department: their user's staff record.
_MEMBER = text(
    "SELECT 1 FROM users u JOIN staff s ON s.org_id = u.org_id AND s.id = u.staff_id "
    "WHERE u.org_id = :o AND u.id = :u AND u.active AND s.active AND s.department_id = :dept"
)
_POINT_BY_TOKEN = text("SELECT id, route_id, active, added_at FROM patrol_points WHERE org_id = :o AND token = :token")
# The label prints the token's last characters for a phone without a camera reader: typed, they
# name a point of the run's own route only (30 bits among a route's few points).
_POINT_BY_TAIL = text("SELECT id, route_id, active, added_at FROM patrol_points WHERE org_id = :o AND route_id = :route AND active "
                      "AND right(token, :n) = :tail LIMIT 2")
_POINT_BY_ID = text("SELECT id, route_id, active, added_at FROM patrol_points WHERE org_id = :o AND id = :id")
_UNIT = text("SELECT 1 FROM units WHERE org_id = :o AND id = :id AND project_id = :p")
_RESIDENT = text("SELECT unit_id FROM residents WHERE org_id = :o AND id = :id AND project_id = :p")
# A point visited again in the same run keeps one row: the latest word on it.
_UPSERT_VISIT = text(
    "INSERT INTO patrol_visits (org_id, project_id, run_id, point_id, at, scanned, result, note, photos, talked_unit_id, "
    "  talked_resident_id, talk_note, by) "
    "VALUES (:o, :p, :run, :point, :at, :scanned, :result, :note, CAST(:photos AS text[]), :unit, :resident, :talk, :by) "
    "ON CONFLICT (org_id, run_id, point_id) DO UPDATE SET at = EXCLUDED.at, scanned = patrol_visits.scanned OR EXCLUDED.scanned, "
    "  result = EXCLUDED.result, note = EXCLUDED.note, photos = EXCLUDED.photos, talked_unit_id = EXCLUDED.talked_unit_id, "
    "  talked_resident_id = EXCLUDED.talked_resident_id, talk_note = EXCLUDED.talk_note, by = EXCLUDED.by "
    "RETURNING id, (xmax = 0) AS first_time"
)


def _uuid(result: Any) -> UUID:
    value: UUID = result.scalar_one()
    return value


async def route(uow: UnitOfWork, route_id: UUID, *, lock: bool = False) -> Any:
    row = (await uow.conn.execute(_ROUTE, {"o": uow.org_id, "id": route_id})).first()
    if row is None:
        raise not_found("The patrol route", "routeId", zh="巡查路线")
    if lock:
        await uow.conn.execute(_LOCK_ROUTE, {"o": uow.org_id, "id": route_id})
    return row


async def check_department(uow: UnitOfWork, project_id: UUID, department_id: UUID | None) -> None:
    if department_id is not None and (await uow.conn.execute(_DEPARTMENT, {"o": uow.org_id,
                                                                           "id": department_id, "p": project_id})).first() is None:
        raise not_found("The department", "departmentId", zh="部门")


async def check_building(uow: UnitOfWork, project_id: UUID, building_id: UUID | None) -> None:
    if building_id is not None and (await uow.conn.execute(_BUILDING, {"o": uow.org_id,
                                                                       "id": building_id, "p": project_id})).first() is None:
        raise not_found("The building", "buildingId", zh="楼栋")


async def check_assignee(uow: UnitOfWork, project_id: UUID, user_id: UUID) -> None:
    if not await DirectoryRepository(uow).works_in(user_id, project_id):
        raise invalid("巡查人须是在本项目有角色的在职账号。The assignee must be an active user with a role in this project.",
                      "assigneeId")


async def insert_route(uow: UnitOfWork, *, project_id: UUID, name: str, kind: str, department_id: UUID | None) -> UUID:
    row = (await uow.conn.execute(_INSERT_ROUTE, {"o": uow.org_id, "p": project_id, "name": name, "kind": kind,
                                                  "dept": department_id, "actor": uow.actor})).first()
    if row is None:
        raise DomainError(ErrorCode.CONFLICT, "本项目已有同名巡查路线。The project already has a route of that name.", "name")
    route_id: UUID = row.id
    return route_id


async def insert_point(uow: UnitOfWork, *, project_id: UUID, route_id: UUID, name: str, building_id: UUID | None, place: str,
                       checks: tuple[str, ...], token: str) -> UUID:
    return _uuid(await uow.conn.execute(_INSERT_POINT, {"o": uow.org_id, "p": project_id, "route": route_id, "name": name,
                                                   "building": building_id, "place": place, "checks": list(checks),
                                                   "token": token}))


async def insert_plan(uow: UnitOfWork, *, project_id: UUID, route_id: UUID, assignee: UUID | None, department_id: UUID | None,
                      cadence: str, weekdays: tuple[int, ...], month_days: tuple[int, ...], start: Any, minutes: int,
                      starts_on: Any, ends_on: Any) -> UUID:
    return _uuid(await uow.conn.execute(_INSERT_PLAN, {
        "o": uow.org_id, "p": project_id, "route": route_id, "assignee": assignee, "dept": department_id, "cadence": cadence,
        "weekdays": list(weekdays), "month_days": list(month_days), "start": start, "minutes": minutes,
        "starts_on": starts_on, "ends_on": ends_on, "actor": uow.actor}))


def run_from_row(r: Any) -> Run:
    return Run(id=r.id, org_id=r.org_id, project_id=r.project_id, plan_id=r.plan_id, route_id=r.route_id, due_from=r.due_from,
               due_until=r.due_until, state=r.state, points_total=r.points_total, points_done=r.points_done,
               assignee_user_id=r.assignee_user_id, department_id=r.department_id, started_by=r.started_by,
               started_at=r.started_at, finished_at=r.finished_at, cancelled_at=r.cancelled_at, cancelled_by=r.cancelled_by,
               cancel_reason=r.cancel_reason)


async def locked_run(uow: UnitOfWork, run_id: UUID) -> Run:
    row = (await uow.conn.execute(_RUN_LOCKED, {"o": uow.org_id, "id": run_id})).first()
    if row is None:
        raise not_found("The patrol run", "runId", zh="巡查任务")
    run = run_from_row(row)
    uow.track(run)
    return run


async def save_run(uow: UnitOfWork, run: Run) -> None:
    await uow.conn.execute(_SAVE_RUN, {"o": uow.org_id, "id": run.id, "state": run.state, "started_by": run.started_by,
                                       "started_at": run.started_at, "finished_at": run.finished_at,
                                       "points_done": run.points_done, "cancelled_at": run.cancelled_at,
                                       "cancelled_by": run.cancelled_by, "cancel_reason": run.cancel_reason,
                                       "cancelled_with": "run" if run.cancelled_at else None})


async def check_walker(uow: UnitOfWork, run: Run) -> None:
    """The plan's assignee, or a member of its department; a key (a patrol device's backend) vouches for its walker."""
    if not uow.actor.startswith("user:"):
        return
    user = UUID(uow.actor.removeprefix("user:"))
    if run.assignee_user_id is not None and user == run.assignee_user_id:
        return
    if run.department_id is not None and (await uow.conn.execute(_MEMBER, {"o": uow.org_id, "u": user, "dept": run.department_id})).first():
        return
    raise DomainError(ErrorCode.FORBIDDEN, "只有该巡查计划的巡查人或其部门成员可以记录。"
                                           "Only the plan's assignee or a member of its department records this run.")


async def point_of_run(uow: UnitOfWork, run: Run, token: str | None, point_id: UUID | None) -> UUID:
    if token is not None and len(token) < TOKEN_LENGTH:
        if len(token) < TAIL_LENGTH:
            raise invalid(f"请输入二维码下方的后{TAIL_LENGTH}位。Type at least the last {TAIL_LENGTH} characters under the code.",
                          "pointToken")
        rows = (await uow.conn.execute(_POINT_BY_TAIL, {"o": uow.org_id, "route": run.route_id, "n": len(token), "tail": token})).all()
        if len(rows) > 1:
            raise invalid("多个巡查点以此结尾，请多输入几位。Several points end so: type more characters.", "pointToken")
        row = rows[0] if rows else None
        field = "pointToken"
    elif token is not None:
        row = (await uow.conn.execute(_POINT_BY_TOKEN, {"o": uow.org_id, "token": token})).first()
        field = "pointToken"
    else:
        row = (await uow.conn.execute(_POINT_BY_ID, {"o": uow.org_id, "id": point_id})).first()
        field = "pointId"
    if row is None:
        raise not_found("The patrol point", field, zh="巡查点")
    if row.route_id != run.route_id:
        raise invalid("该巡查点不在本次巡查的路线上。The point is not on this run's route.", field)
    if not row.active:
        raise DomainError(ErrorCode.INVALID_STATE, "该巡查点已停用，不能打卡。The point is switched off.", field)
    # A run started before the point joined its route keeps the points it started with.
    if run.started_at is not None and row.added_at is not None and row.added_at > run.started_at:
        raise DomainError(ErrorCode.INVALID_STATE, "该巡查点在本次巡查开始后才加入路线，不属于本次巡查。The point was added to the "
                                                   "route after this run started: it is not part of it.", field,
                          reason=ErrorReason.PATROL_POINT_NOT_IN_RUN)
    found: UUID = row.id
    return found


async def check_talk(uow: UnitOfWork, project_id: UUID, unit_id: UUID | None, resident_id: UUID | None) -> UUID | None:
    """The flat talked with; a resident alone names theirs."""
    if resident_id is not None:
        row = (await uow.conn.execute(_RESIDENT, {"o": uow.org_id, "id": resident_id, "p": project_id})).first()
        if row is None:
            raise not_found("The resident", "talk.residentId", zh="住户")
        if unit_id is not None and unit_id != row.unit_id:
            raise invalid("住户不在所选房屋。The resident does not live in that flat.", "talk.unitId")
        unit_id = row.unit_id
    if unit_id is not None and (await uow.conn.execute(_UNIT, {"o": uow.org_id, "id": unit_id, "p": project_id})).first() is None:
        raise not_found("The flat", "talk.unitId", zh="房屋")
    return unit_id


async def upsert_visit(uow: UnitOfWork, run: Run, **values: Any) -> tuple[UUID, bool]:
    row = (await uow.conn.execute(_UPSERT_VISIT, {"o": uow.org_id, "p": run.project_id, "run": run.id, **values})).one()
    return row.id, bool(row.first_time)


# Editing and switching off (docs/centre-day.md §2.1).
_ROUTE_FOR_EDIT = text("SELECT id, project_id, name, kind, department_id, active FROM patrol_routes WHERE org_id = :o AND id = "
                       ":id FOR UPDATE")
_NAME_TAKEN = text("SELECT 1 FROM patrol_routes WHERE org_id = :o AND project_id = :p AND name = :name AND id <> :id")
_UPDATE_ROUTE = text("UPDATE patrol_routes SET name = :name, kind = :kind, department_id = :dept WHERE org_id = :o AND id = :id")
_ROUTE_ACTIVE = text("UPDATE patrol_routes SET active = :active WHERE org_id = :o AND id = :id")
_POINT_FOR_EDIT = text("SELECT id, project_id, route_id, name, place, building_id, checks, active FROM patrol_points "
                       "WHERE org_id = :o AND id = :id FOR UPDATE")
_UPDATE_POINT = text("UPDATE patrol_points SET name = :name, place = :place, building_id = :building, "
                     "checks = CAST(:checks AS text[]) WHERE org_id = :o AND id = :id")
_POINT_ACTIVE = text("UPDATE patrol_points SET active = :active WHERE org_id = :o AND id = :id")
# Runs nobody has started count the route's active points again; a started run keeps its count.
_RECOUNT = text(
    "UPDATE patrol_runs r SET points_total = (SELECT count(*) FROM patrol_points pt WHERE pt.org_id = r.org_id "
    "  AND pt.route_id = r.route_id AND pt.active) WHERE r.org_id = :o AND r.route_id = :route AND r.state = 'scheduled' RETURNING r.id"
)
_PLAN_FOR_EDIT = text("SELECT id, project_id, route_id, active, starts_on, ends_on FROM patrol_plans WHERE org_id = :o AND id = "
                      ":id FOR UPDATE")
_UPDATE_PLAN = text(
    "UPDATE patrol_plans SET assignee_user_id = :assignee, department_id = :dept, cadence = :cadence, "
    "  weekdays = CAST(:weekdays AS smallint[]), month_days = CAST(:month_days AS smallint[]), window_start = :start, "
    "  window_minutes = :minutes, starts_on = :starts_on, ends_on = :ends_on WHERE org_id = :o AND id = :id"
)
_PLAN_ACTIVE = text("UPDATE patrol_plans SET active = :active WHERE org_id = :o AND id = :id")
# Runs not started of a plan or route, all of them or those whose window has not opened, cancelled
# by what switched them off (a plan or route switched on again gets them back from the sweep).
# With `outside`, only those whose Beijing day the plan's new dates no longer cover, window open or not.
_CANCEL_RUNS = text(
    "UPDATE patrol_runs SET state = 'cancelled', cancelled_at = :now, cancelled_by = :actor, cancel_reason = :reason, "
    "  cancelled_with = :with WHERE org_id = :o AND state = 'scheduled' AND (plan_id = :plan OR route_id = :route) "
    "  AND (NOT :future_only OR due_from > :now) "
    "  AND (NOT :outside OR CAST(due_from AT TIME ZONE 'Asia/Shanghai' AS date) NOT BETWEEN CAST(:starts_on AS date) "
    "       AND coalesce(CAST(:ends_on AS date), CAST('infinity' AS date))) "
    "RETURNING id, project_id, plan_id, route_id, due_from, due_until, points_total"
)
_STOP_TIMERS = text("DELETE FROM item_timers WHERE org_id = :o AND subject_kind = 'patrol_run' AND subject_id = ANY (:ids) AND "
                    "fired_at IS NULL")


async def route_for_edit(uow: UnitOfWork, route_id: UUID) -> Any:
    row = (await uow.conn.execute(_ROUTE_FOR_EDIT, {"o": uow.org_id, "id": route_id})).first()
    if row is None:
        raise not_found("The patrol route", "routeId", zh="巡查路线")
    return row


async def update_route(uow: UnitOfWork, route_id: UUID, project_id: UUID, *, name: str, kind: str,
                       department_id: UUID | None) -> None:
    if (await uow.conn.execute(_NAME_TAKEN, {"o": uow.org_id, "p": project_id, "name": name, "id": route_id})).first() is not None:
        raise DomainError(ErrorCode.CONFLICT, "本项目已有同名巡查路线。The project already has a route of that name.", "name")
    await uow.conn.execute(_UPDATE_ROUTE, {"o": uow.org_id, "id": route_id, "name": name, "kind": kind, "dept": department_id})


async def set_route_active(uow: UnitOfWork, route_id: UUID, active: bool) -> None:
    await uow.conn.execute(_ROUTE_ACTIVE, {"o": uow.org_id, "id": route_id, "active": active})


async def point_for_edit(uow: UnitOfWork, point_id: UUID) -> Any:
    row = (await uow.conn.execute(_POINT_FOR_EDIT, {"o": uow.org_id, "id": point_id})).first()
    if row is None:
        raise not_found("The patrol point", "pointId", zh="巡查点")
    return row


async def update_point(uow: UnitOfWork, point_id: UUID, *, name: str, place: str, building_id: UUID | None,
                       checks: tuple[str, ...]) -> None:
    await uow.conn.execute(_UPDATE_POINT, {"o": uow.org_id, "id": point_id, "name": name, "place": place, "building": building_id,
                                           "checks": list(checks)})


async def set_point_active(uow: UnitOfWork, point_id: UUID, route_id: UUID, active: bool) -> None:
    await uow.conn.execute(_POINT_ACTIVE, {"o": uow.org_id, "id": point_id, "active": active})
    await recount_runs(uow, route_id)


async def recount_runs(uow: UnitOfWork, route_id: UUID) -> int:
    """The route's runs not started count its active points again; how many runs there were."""
    return len((await uow.conn.execute(_RECOUNT, {"o": uow.org_id, "route": route_id})).all())


async def plan_for_edit(uow: UnitOfWork, plan_id: UUID) -> Any:
    row = (await uow.conn.execute(_PLAN_FOR_EDIT, {"o": uow.org_id, "id": plan_id})).first()
    if row is None:
        raise not_found("The patrol plan", "planId", zh="巡查计划")
    return row


async def update_plan(uow: UnitOfWork, plan_id: UUID, **values: Any) -> None:
    await uow.conn.execute(_UPDATE_PLAN, {"o": uow.org_id, "id": plan_id, **values})


async def set_plan_active(uow: UnitOfWork, plan_id: UUID, active: bool) -> None:
    await uow.conn.execute(_PLAN_ACTIVE, {"o": uow.org_id, "id": plan_id, "active": active})


async def cancel_runs(uow: UnitOfWork, *, plan_id: UUID | None = None, route_id: UUID | None = None, now: Any,
                      reason: str, with_: str, future_only: bool, outside: tuple[date, date | None] | None = None) -> int:
    """The runs not started of a plan or a route cancelled, their timers stopped, one audit row each;
    with `outside` (a plan's new first and last day), only those on a day outside them."""
    starts_on, ends_on = outside or (None, None)
    rows = (await uow.conn.execute(_CANCEL_RUNS, {"o": uow.org_id, "plan": plan_id, "route": route_id, "now": now, "actor": uow.actor,
                                                  "reason": reason, "with": with_, "future_only": future_only,
                                                  "outside": outside is not None, "starts_on": starts_on,
                                                  "ends_on": ends_on})).all()
    if not rows:
        return 0
    await uow.conn.execute(_STOP_TIMERS, {"o": uow.org_id, "ids": [r.id for r in rows]})
    for r in rows:
        data = {"run_id": str(r.id), "plan_id": str(r.plan_id), "route_id": str(r.route_id), "due_from": r.due_from.isoformat(),
                "due_until": r.due_until.isoformat(), "reason": reason, "with": with_}
        event = Event(topic="patrol.cancelled", org_id=uow.org_id, project_id=r.project_id, payload={**data, "state": "cancelled"})
        uow.track(Aggregate(events=[event], audit=[AuditEntry(
            action="patrol.cancelled", entity="patrol_run", entity_id=r.id, project_id=r.project_id, from_state="scheduled",
            to_state="cancelled", data=data, event_id=event.id)]))
    return len(rows)
