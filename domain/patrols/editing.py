"""巡查 changed after the fact, each in the caller's unit of work (patrol:manage on the project):
a route, point or plan edited or switched off and on, a run cancelled.

- A point switched off leaves the runs not started (their count of points) and the QR sheet, and
  its code takes no more visits; switched on, it is counted again.
- A plan or route switched off makes no more runs and cancels those not started, their timers
  stopped; switched on, the coming week is made at once (the cancelled windows come back).
- A plan edited keeps the runs started or in their window; those still to come are cancelled and
  made again from the new schedule in the same transaction. New dates (starts_on, ends_on) also
  cancel the runs not started whose day they no longer cover, even one whose window has opened
  (else it would be marked missed and climb the ladder for a walk nobody asks for); runs under
  way, done, missed or cancelled are never touched.
- A run cancelled, with its reason, never counts as missed and never climbs the ladder."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import UUID

from domain.errors import invalid
from domain.events import Event
from domain.followup import ladder
from domain.patrols import repository, schedule
from domain.patrols.commands import CancelRun, SetActive, UpdatePlan, UpdatePoint, UpdateRoute
from domain.patrols.model import BEIJING
from domain.patrols.rules import KIND_LABELS, check_checks, check_name, check_new_end, check_place, check_schedule
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission

SWITCHED_OFF = {"patrol_plan": "巡查计划已停用 The plan was switched off", "patrol_route": "巡查路线已停用 The route was switched off"}
PLAN_EDITED = "巡查计划已修改 The plan was edited"
PLAN_DATES = "巡查计划的起止日期已不含此任务 The plan's dates no longer cover this run"


def _changed(uow: UnitOfWork, entity: str, entity_id: UUID, project_id: UUID, verb: str, data: dict[str, object]) -> None:
    """An audit row and an event: patrol.route.updated, patrol.point.deactivated and so on."""
    topic = f"{entity.replace('_', '.', 1)}.{verb}"
    event = Event(topic=topic, org_id=uow.org_id, project_id=project_id, payload={"id": str(entity_id), **data})
    uow.track(Aggregate(events=[event], audit=[AuditEntry(action=topic, entity=entity, entity_id=entity_id,
                                                          project_id=project_id, data=data, event_id=event.id)]))


def _plain(value: object) -> object:
    """A value as the idempotency record keeps it."""
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value) if isinstance(value, UUID) else value


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if not 1 <= len(reason) <= 200:
        raise invalid("请填写取消原因（1–200字）。Give the reason, 1–200 characters.", "reason")
    return reason


async def update_route(cmd: UpdateRoute, uow: UnitOfWork) -> UUID:
    name = check_name(cmd.name) if cmd.name is not None else None
    if cmd.kind is not None and cmd.kind not in KIND_LABELS:
        raise invalid("未知的巡查类型。Unknown route kind.", "kind")
    async with uow:
        request = {"routeId": str(cmd.route_id), "name": name, "kind": cmd.kind, "departmentId": str(cmd.department_id),
                   "clearDepartment": cmd.clear_department}
        if await uow.claim(cmd.idempotency_key, "updatePatrolRoute", request) is not None:
            return cmd.route_id
        route = await repository.route_for_edit(uow, cmd.route_id)
        uow.require(Permission.PATROL_MANAGE, route.project_id, "routeId")
        department = None if cmd.clear_department else (cmd.department_id or route.department_id)
        await repository.check_department(uow, route.project_id, cmd.department_id)
        new_name, new_kind = name or route.name, cmd.kind or route.kind
        await repository.update_route(uow, route.id, route.project_id, name=new_name, kind=new_kind, department_id=department)
        after = {"name": new_name, "kind": new_kind, "department_id": str(department) if department else None}
        before = {"name": route.name, "kind": route.kind,
                  "department_id": str(route.department_id) if route.department_id else None}
        _changed(uow, "patrol_route", route.id, route.project_id, "updated",
                 {k: v for k, v in after.items() if v != before[k]} | {"before": before})
        await uow.commit({"id": str(route.id)})
    return cmd.route_id


async def set_route_active(cmd: SetActive, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "setPatrolRouteActive", {"routeId": str(cmd.id), "active": cmd.active}) is not None:
            return cmd.id
        route = await repository.route_for_edit(uow, cmd.id)
        uow.require(Permission.PATROL_MANAGE, route.project_id, "routeId")
        if route.active != cmd.active:
            await repository.set_route_active(uow, route.id, cmd.active)
            cancelled = 0
            if cmd.active:
                await schedule.materialise_project(uow.conn, uow.org_id, route.project_id, now)
            else:
                cancelled = await repository.cancel_runs(uow, route_id=route.id, now=now, reason=SWITCHED_OFF["patrol_route"],
                                                         with_="route", future_only=False)
            _changed(uow, "patrol_route", route.id, route.project_id, "activated" if cmd.active else "deactivated",
                     {"runs_cancelled": cancelled})
        await uow.commit({"id": str(route.id)})
    return cmd.id


async def update_point(cmd: UpdatePoint, uow: UnitOfWork) -> UUID:
    name = check_name(cmd.name) if cmd.name is not None else None
    place = check_place(cmd.place) if cmd.place is not None else None
    checks = check_checks(cmd.checks) if cmd.checks is not None else None
    async with uow:
        request = {"pointId": str(cmd.point_id), "name": name, "place": place, "buildingId": str(cmd.building_id),
                   "clearBuilding": cmd.clear_building, "checks": list(checks) if checks is not None else None}
        if await uow.claim(cmd.idempotency_key, "updatePatrolPoint", request) is not None:
            return cmd.point_id
        point = await repository.point_for_edit(uow, cmd.point_id)
        uow.require(Permission.PATROL_MANAGE, point.project_id, "pointId")
        await repository.check_building(uow, point.project_id, cmd.building_id)
        building = None if cmd.clear_building else (cmd.building_id or point.building_id)
        after = (name or point.name, point.place if place is None else place, building,
                 tuple(point.checks) if checks is None else checks)
        await repository.update_point(uow, point.id, name=after[0], place=after[1], building_id=after[2], checks=after[3])
        _changed(uow, "patrol_point", point.id, point.project_id, "updated",
                 {"route_id": str(point.route_id), "name": after[0], "place": after[1],
                  "building_id": str(building) if building else None, "checks": list(after[3]),
                  "before": {"name": point.name, "place": point.place, "checks": list(point.checks)}})
        await uow.commit({"id": str(point.id)})
    return cmd.point_id


async def set_point_active(cmd: SetActive, uow: UnitOfWork) -> UUID:
    async with uow:
        if await uow.claim(cmd.idempotency_key, "setPatrolPointActive", {"pointId": str(cmd.id), "active": cmd.active}) is not None:
            return cmd.id
        point = await repository.point_for_edit(uow, cmd.id)
        uow.require(Permission.PATROL_MANAGE, point.project_id, "pointId")
        if point.active != cmd.active:
            await repository.set_point_active(uow, point.id, point.route_id, cmd.active)
            _changed(uow, "patrol_point", point.id, point.project_id, "activated" if cmd.active else "deactivated",
                     {"route_id": str(point.route_id)})
        await uow.commit({"id": str(point.id)})
    return cmd.id


async def update_plan(cmd: UpdatePlan, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """The new schedule from now on: runs still to come are made again from it."""
    now = now or datetime.now(UTC)
    if (cmd.assignee_user_id is None) == (cmd.department_id is None):
        raise invalid("请指定巡查人或巡查部门（二选一）。Give the plan one assignee or one department.", "assigneeId")
    weekdays, month_days = check_schedule(cmd.cadence, cmd.weekdays, cmd.month_days, cmd.window_minutes, cmd.starts_on,
                                          cmd.ends_on)
    values = {"assignee": cmd.assignee_user_id, "dept": cmd.department_id, "cadence": cmd.cadence, "weekdays": list(weekdays),
              "month_days": list(month_days), "start": cmd.window_start, "minutes": cmd.window_minutes,
              "starts_on": cmd.starts_on, "ends_on": cmd.ends_on}
    async with uow:
        request = {k: _plain(v) for k, v in values.items()} | {"planId": str(cmd.plan_id)}
        if await uow.claim(cmd.idempotency_key, "updatePatrolPlan", request) is not None:
            return cmd.plan_id
        plan = await repository.plan_for_edit(uow, cmd.plan_id)
        uow.require(Permission.PATROL_MANAGE, plan.project_id, "planId")
        check_new_end(cmd.ends_on, plan.ends_on, now.astimezone(BEIJING).date())
        if cmd.assignee_user_id is not None:
            await repository.check_assignee(uow, plan.project_id, cmd.assignee_user_id)
        await repository.check_department(uow, plan.project_id, cmd.department_id)
        await repository.update_plan(uow, plan.id, **values)
        outside = await repository.cancel_runs(uow, plan_id=plan.id, now=now, reason=PLAN_DATES, with_="plan",
                                               future_only=False, outside=(cmd.starts_on, cmd.ends_on))
        replaced = await repository.cancel_runs(uow, plan_id=plan.id, now=now, reason=PLAN_EDITED, with_="plan",
                                                future_only=True)
        if plan.active:
            await schedule.materialise_project(uow.conn, uow.org_id, plan.project_id, now)
        before = {"starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat() if plan.ends_on else None}
        _changed(uow, "patrol_plan", plan.id, plan.project_id, "updated",
                 {k: v for k, v in request.items() if k != "planId"}
                 | {"runs_replaced": replaced, "runs_outside_dates": outside, "before": before})
        await uow.commit({"id": str(plan.id)})
    return cmd.plan_id


async def set_plan_active(cmd: SetActive, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "setPatrolPlanActive", {"planId": str(cmd.id), "active": cmd.active}) is not None:
            return cmd.id
        plan = await repository.plan_for_edit(uow, cmd.id)
        uow.require(Permission.PATROL_MANAGE, plan.project_id, "planId")
        if plan.active != cmd.active:
            await repository.set_plan_active(uow, plan.id, cmd.active)
            cancelled = 0
            if cmd.active:
                await schedule.materialise_project(uow.conn, uow.org_id, plan.project_id, now)
            else:
                cancelled = await repository.cancel_runs(uow, plan_id=plan.id, now=now, reason=SWITCHED_OFF["patrol_plan"],
                                                         with_="plan", future_only=False)
            _changed(uow, "patrol_plan", plan.id, plan.project_id, "activated" if cmd.active else "deactivated",
                     {"runs_cancelled": cancelled})
        await uow.commit({"id": str(plan.id)})
    return cmd.id


async def cancel_run(cmd: CancelRun, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    reason = check_reason(cmd.reason)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "cancelPatrolRun", {"runId": str(cmd.run_id), "reason": reason}) is not None:
            return cmd.run_id
        run = await repository.locked_run(uow, cmd.run_id)
        uow.require(Permission.PATROL_MANAGE, run.project_id, "runId")
        run.cancel(by=uow.actor, reason=reason, now=now)
        await repository.save_run(uow, run)
        await ladder.stop(uow.conn, kind="patrol_run", subject_id=run.id)
        await uow.commit({"id": str(run.id)})
    return cmd.run_id
