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

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from typing import Any
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


Change = Callable[[Any], Awaitable[None]]


async def _edit(uow: UnitOfWork, key: str | None, operation: str, request: dict[str, Any], entity_id: UUID,
                load: Callable[[UnitOfWork, UUID], Awaitable[Any]], field: str, change: Change) -> UUID:
    """What every edit here shares: the key claimed (a replay changes nothing), the row loaded for
    edit, patrol:manage on its project, the change, the commit."""
    async with uow:
        if await uow.claim(key, operation, request) is not None:
            return entity_id
        row = await load(uow, entity_id)
        uow.require(Permission.PATROL_MANAGE, row.project_id, field)
        await change(row)
        await uow.commit({"id": str(row.id)})
    return entity_id


async def _switch(cmd: SetActive, uow: UnitOfWork, what: str, load: Callable[[UnitOfWork, UUID], Awaitable[Any]],
                  set_active: Callable[[UnitOfWork, UUID, bool], Awaitable[None]], now: datetime | None) -> UUID:
    """A route or plan (`what`) switched off or on: off cancels its runs not started, on makes the coming week."""
    at = now or datetime.now(UTC)
    entity = f"patrol_{what}"

    async def change(row: Any) -> None:
        if row.active == cmd.active:
            return
        await set_active(uow, row.id, cmd.active)
        cancelled = 0
        if cmd.active:
            await schedule.materialise_project(uow.conn, uow.org_id, row.project_id, at)
        else:
            cancelled = await repository.cancel_runs(uow, plan_id=row.id if what == "plan" else None,
                                                     route_id=row.id if what == "route" else None, now=at,
                                                     reason=SWITCHED_OFF[entity], with_=what, future_only=False)
        _changed(uow, entity, row.id, row.project_id, "activated" if cmd.active else "deactivated", {"runs_cancelled": cancelled})

    return await _edit(uow, cmd.idempotency_key, f"setPatrol{what.title()}Active", {f"{what}Id": str(cmd.id), "active": cmd.active},
                       cmd.id, load, f"{what}Id", change)


async def update_route(cmd: UpdateRoute, uow: UnitOfWork) -> UUID:
    name = check_name(cmd.name) if cmd.name is not None else None
    if cmd.kind is not None and cmd.kind not in KIND_LABELS:
        raise invalid("未知的巡查类型。Unknown route kind.", "kind")
    request = {"routeId": str(cmd.route_id), "name": name, "kind": cmd.kind, "departmentId": str(cmd.department_id),
               "clearDepartment": cmd.clear_department}

    async def change(route: Any) -> None:
        department = None if cmd.clear_department else (cmd.department_id or route.department_id)
        await repository.check_department(uow, route.project_id, cmd.department_id)
        new_name, new_kind = name or route.name, cmd.kind or route.kind
        await repository.update_route(uow, route.id, route.project_id, name=new_name, kind=new_kind, department_id=department)
        after = {"name": new_name, "kind": new_kind, "department_id": str(department) if department else None}
        before = {"name": route.name, "kind": route.kind,
                  "department_id": str(route.department_id) if route.department_id else None}
        _changed(uow, "patrol_route", route.id, route.project_id, "updated",
                 {k: v for k, v in after.items() if v != before[k]} | {"before": before})

    return await _edit(uow, cmd.idempotency_key, "updatePatrolRoute", request, cmd.route_id, repository.route_for_edit,
                       "routeId", change)


async def set_route_active(cmd: SetActive, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    return await _switch(cmd, uow, "route", repository.route_for_edit, repository.set_route_active, now)


async def update_point(cmd: UpdatePoint, uow: UnitOfWork) -> UUID:
    name = check_name(cmd.name) if cmd.name is not None else None
    place = check_place(cmd.place) if cmd.place is not None else None
    checks = check_checks(cmd.checks) if cmd.checks is not None else None
    request = {"pointId": str(cmd.point_id), "name": name, "place": place, "buildingId": str(cmd.building_id),
               "clearBuilding": cmd.clear_building, "checks": list(checks) if checks is not None else None}

    async def change(point: Any) -> None:
        await repository.check_building(uow, point.project_id, cmd.building_id)
        building = None if cmd.clear_building else (cmd.building_id or point.building_id)
        after = (name or point.name, point.place if place is None else place, building,
                 tuple(point.checks) if checks is None else checks)
        await repository.update_point(uow, point.id, name=after[0], place=after[1], building_id=after[2], checks=after[3])
        _changed(uow, "patrol_point", point.id, point.project_id, "updated",
                 {"route_id": str(point.route_id), "name": after[0], "place": after[1],
                  "building_id": str(building) if building else None, "checks": list(after[3]),
                  "before": {"name": point.name, "place": point.place, "checks": list(point.checks)}})

    return await _edit(uow, cmd.idempotency_key, "updatePatrolPoint", request, cmd.point_id, repository.point_for_edit,
                       "pointId", change)


async def set_point_active(cmd: SetActive, uow: UnitOfWork) -> UUID:
    async def change(point: Any) -> None:
        if point.active != cmd.active:
            await repository.set_point_active(uow, point.id, point.route_id, cmd.active)
            _changed(uow, "patrol_point", point.id, point.project_id, "activated" if cmd.active else "deactivated",
                     {"route_id": str(point.route_id)})

    return await _edit(uow, cmd.idempotency_key, "setPatrolPointActive", {"pointId": str(cmd.id), "active": cmd.active},
                       cmd.id, repository.point_for_edit, "pointId", change)


async def update_plan(cmd: UpdatePlan, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """The new schedule from now on: runs still to come are made again from it."""
    at = now or datetime.now(UTC)
    if (cmd.assignee_user_id is None) == (cmd.department_id is None):
        raise invalid("请指定巡查人或巡查部门（二选一）。Give the plan one assignee or one department.", "assigneeId")
    weekdays, month_days = check_schedule(cmd.cadence, cmd.weekdays, cmd.month_days, cmd.window_minutes, cmd.starts_on,
                                          cmd.ends_on)
    values = {"assignee": cmd.assignee_user_id, "dept": cmd.department_id, "cadence": cmd.cadence, "weekdays": list(weekdays),
              "month_days": list(month_days), "start": cmd.window_start, "minutes": cmd.window_minutes,
              "starts_on": cmd.starts_on, "ends_on": cmd.ends_on}
    request = {k: _plain(v) for k, v in values.items()} | {"planId": str(cmd.plan_id)}

    async def change(plan: Any) -> None:
        check_new_end(cmd.ends_on, plan.ends_on, at.astimezone(BEIJING).date())
        if cmd.assignee_user_id is not None:
            await repository.check_assignee(uow, plan.project_id, cmd.assignee_user_id)
        await repository.check_department(uow, plan.project_id, cmd.department_id)
        await repository.update_plan(uow, plan.id, **values)
        outside = await repository.cancel_runs(uow, plan_id=plan.id, now=at, reason=PLAN_DATES, with_="plan",
                                               future_only=False, outside=(cmd.starts_on, cmd.ends_on))
        replaced = await repository.cancel_runs(uow, plan_id=plan.id, now=at, reason=PLAN_EDITED, with_="plan",
                                                future_only=True)
        if plan.active:
            await schedule.materialise_project(uow.conn, uow.org_id, plan.project_id, at)
        before = {"starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat() if plan.ends_on else None}
        _changed(uow, "patrol_plan", plan.id, plan.project_id, "updated",
                 {k: v for k, v in request.items() if k != "planId"}
                 | {"runs_replaced": replaced, "runs_outside_dates": outside, "before": before})

    return await _edit(uow, cmd.idempotency_key, "updatePatrolPlan", request, cmd.plan_id, repository.plan_for_edit,
                       "planId", change)


async def set_plan_active(cmd: SetActive, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    return await _switch(cmd, uow, "plan", repository.plan_for_edit, repository.set_plan_active, now)


async def cancel_run(cmd: CancelRun, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    at = now or datetime.now(UTC)
    reason = check_reason(cmd.reason)

    async def change(run: Any) -> None:
        run.cancel(by=uow.actor, reason=reason, now=at)
        await repository.save_run(uow, run)
        await ladder.stop(uow.conn, org_id=uow.org_id, kind="patrol_run", subject_id=run.id)

    return await _edit(uow, cmd.idempotency_key, "cancelPatrolRun", {"runId": str(cmd.run_id), "reason": reason}, cmd.run_id,
                       repository.locked_run, "runId", change)
