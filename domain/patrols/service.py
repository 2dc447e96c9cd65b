"""巡查 use cases, each in the caller's unit of work: check the input, claim the idempotency key,
load (locked) what changes, check the permission on its project, apply the rule, save, commit.
Finishing a run stops its ladder in the same transaction, so a patrol done in time never escalates."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from domain.errors import invalid
from domain.events import Event
from domain.followup import ladder
from domain.patrols import repository
from domain.patrols.commands import AddPoint, CreatePlan, CreateRoute, RecordVisit, RunStep
from domain.patrols.rules import KIND_LABELS, check_checks, check_name, check_place, check_schedule, check_visit, new_token, token_of
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


def _created(uow: UnitOfWork, entity: str, entity_id: UUID, project_id: UUID, data: dict[str, object]) -> None:
    """An audit row and an event for a new route, point or plan."""
    topic = f"{entity.replace('_', '.', 1)}.created"
    event = Event(topic=topic, org_id=uow.org_id, project_id=project_id, payload={"id": str(entity_id), **data})
    uow.track(Aggregate(events=[event], audit=[AuditEntry(action=topic, entity=entity, entity_id=entity_id,
                                                          project_id=project_id, data=data, event_id=event.id)]))


async def create_route(cmd: CreateRoute, uow: UnitOfWork) -> UUID:
    name = check_name(cmd.name)
    if cmd.kind not in KIND_LABELS:
        raise invalid("未知的巡查类型。Unknown route kind.", "kind")
    async with uow:
        request = {"projectId": str(cmd.project_id), "name": name, "kind": cmd.kind,
                   "departmentId": str(cmd.department_id) if cmd.department_id else None}
        if (done := await uow.claim(cmd.idempotency_key, "createPatrolRoute", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.PATROL_MANAGE, cmd.project_id)
        await repository.check_department(uow, cmd.project_id, cmd.department_id)
        route_id = await repository.insert_route(uow, project_id=cmd.project_id, name=name, kind=cmd.kind,
                                                 department_id=cmd.department_id)
        _created(uow, "patrol_route", route_id, cmd.project_id, {"name": name, "kind": cmd.kind})
        await uow.commit({"id": str(route_id)})
    return route_id


async def add_point(cmd: AddPoint, uow: UnitOfWork) -> UUID:
    """A point at the end of the route, with a fresh token for its QR code. The route's runs not
    yet started count it at once; one started before keeps its points and takes no visit there."""
    name, place, checks = check_name(cmd.name), check_place(cmd.place), check_checks(cmd.checks)
    async with uow:
        request = {"routeId": str(cmd.route_id), "name": name, "place": place, "checks": list(checks),
                   "buildingId": str(cmd.building_id) if cmd.building_id else None}
        if (done := await uow.claim(cmd.idempotency_key, "addPatrolPoint", request)) is not None:
            return UUID(done["id"])
        route = await repository.route(uow, cmd.route_id, lock=True)
        uow.require(Permission.PATROL_MANAGE, route.project_id, "routeId")
        await repository.check_building(uow, route.project_id, cmd.building_id)
        point_id = await repository.insert_point(uow, project_id=route.project_id, route_id=route.id, name=name,
                                                 building_id=cmd.building_id, place=place, checks=checks, token=new_token())
        # Runs not started gain the point at once; a run under way or over keeps what it started with.
        gained = await repository.recount_runs(uow, route.id)
        _created(uow, "patrol_point", point_id, route.project_id, {"route_id": str(route.id), "name": name, "runs_gained": gained})
        await uow.commit({"id": str(point_id)})
    return point_id


async def create_plan(cmd: CreatePlan, uow: UnitOfWork) -> UUID:
    """A plan's runs appear with the patrol sweep's next round (a week ahead)."""
    if (cmd.assignee_user_id is None) == (cmd.department_id is None):
        raise invalid("请指定巡查人或巡查部门（二选一）。Give the plan one assignee or one department.", "assigneeId")
    weekdays, month_days = check_schedule(cmd.cadence, cmd.weekdays, cmd.month_days, cmd.window_minutes, cmd.starts_on,
                                          cmd.ends_on)
    async with uow:
        request = {"routeId": str(cmd.route_id), "assignee": str(cmd.assignee_user_id), "department": str(cmd.department_id),
                   "cadence": cmd.cadence, "weekdays": list(weekdays), "monthDays": list(month_days),
                   "start": cmd.window_start.isoformat(), "minutes": cmd.window_minutes, "startsOn": cmd.starts_on.isoformat(),
                   "endsOn": cmd.ends_on.isoformat() if cmd.ends_on else None}
        if (done := await uow.claim(cmd.idempotency_key, "createPatrolPlan", request)) is not None:
            return UUID(done["id"])
        route = await repository.route(uow, cmd.route_id)
        uow.require(Permission.PATROL_MANAGE, route.project_id, "routeId")
        if cmd.assignee_user_id is not None:
            await repository.check_assignee(uow, route.project_id, cmd.assignee_user_id)
        await repository.check_department(uow, route.project_id, cmd.department_id)
        plan_id = await repository.insert_plan(uow, project_id=route.project_id, route_id=route.id, assignee=cmd.assignee_user_id,
                                               department_id=cmd.department_id, cadence=cmd.cadence, weekdays=weekdays,
                                               month_days=month_days, start=cmd.window_start, minutes=cmd.window_minutes,
                                               starts_on=cmd.starts_on, ends_on=cmd.ends_on)
        _created(uow, "patrol_plan", plan_id, route.project_id, {"route_id": str(route.id), "cadence": cmd.cadence})
        await uow.commit({"id": str(plan_id)})
    return plan_id


async def start_run(cmd: RunStep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "startPatrolRun", {"runId": str(cmd.run_id)}) is not None:
            return cmd.run_id
        run = await repository.locked_run(uow, cmd.run_id)
        uow.require(Permission.PATROL_RECORD, run.project_id, "runId")
        await repository.check_walker(uow, run)
        run.start(by=uow.actor, now=now)
        await repository.save_run(uow, run)
        await uow.commit({"id": str(run.id)})
    return run.id


async def record_visit(cmd: RecordVisit, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """打卡: the point by its scanned token (proof of presence) or by its id (a tap); again at the
    same point in the run replaces what was said there."""
    now = now or datetime.now(UTC)
    if (cmd.point_token is None) == (cmd.point_id is None):
        raise invalid("请扫码或选择巡查点（二选一）。Give the point's scanned token or its id, one of the two.", "pointToken")
    token = token_of(cmd.point_token) if cmd.point_token is not None else None
    note, talk_note = check_visit(cmd.result, cmd.note, cmd.photos, cmd.talk.note if cmd.talk else None)
    async with uow:
        request = {"runId": str(cmd.run_id), "token": token, "pointId": str(cmd.point_id), "result": cmd.result, "note": note,
                   "photos": list(cmd.photos), "talk": [str(cmd.talk.unit_id), str(cmd.talk.resident_id), talk_note]
                   if cmd.talk else None}
        if (done := await uow.claim(cmd.idempotency_key, "recordPatrolVisit", request)) is not None:
            return UUID(done["id"])
        run = await repository.locked_run(uow, cmd.run_id)
        uow.require(Permission.PATROL_RECORD, run.project_id, "runId")
        await repository.check_walker(uow, run)
        point_id = await repository.point_of_run(uow, run, token, cmd.point_id)
        unit_id = resident_id = None
        if cmd.talk is not None:
            resident_id = cmd.talk.resident_id
            unit_id = await repository.check_talk(uow, run.project_id, cmd.talk.unit_id, resident_id)
        visit_id, first_time = await repository.upsert_visit(
            uow, run, point=point_id, at=now, scanned=token is not None, result=cmd.result, note=note, photos=list(cmd.photos),
            unit=unit_id, resident=resident_id, talk=talk_note, by=uow.actor)
        run.visited(by=uow.actor, now=now, first_time=first_time)
        await repository.save_run(uow, run)
        await uow.commit({"id": str(visit_id)})
    return visit_id


async def finish_run(cmd: RunStep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """Done, with whatever points are unvisited left visible (points_done < points_total); the ladder stops."""
    now = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "finishPatrolRun", {"runId": str(cmd.run_id)}) is not None:
            return cmd.run_id
        run = await repository.locked_run(uow, cmd.run_id)
        uow.require(Permission.PATROL_RECORD, run.project_id, "runId")
        await repository.check_walker(uow, run)
        run.finish(by=uow.actor, now=now)
        await repository.save_run(uow, run)
        await ladder.stop(uow.conn, org_id=uow.org_id, kind="patrol_run", subject_id=run.id)
        await uow.commit({"id": str(run.id)})
    return run.id
