"""拉网式排查 use cases: headquarters creates and launches a sweep (each project's part due with it,
its timers planted), a project records its results item by item — a hazard found is put on the
register in the same transaction — and submits, which stops its timers. Headquarters edits a sweep
while it is open (the checklist only as a draft; a new due time replants the open parts' timers)
and closes it, draft or under way: the parts not submitted take no more results and their timers
stop."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from domain.errors import DomainError, ErrorCode, invalid
from domain.followup import ladder
from domain.hazards import service as hazards
from domain.hazards.rules import check_text
from domain.sweeps import repository
from domain.sweeps.commands import CloseSweep, CreateSweep, RecordSweepResult, SubmitSweep, UpdateSweep
from domain.sweeps.rules import RESULT_LABELS, check_checklist, check_due
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


def _not_launched() -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, "排查行动未在进行中。The sweep is not under way.", "sweepId")


async def create_sweep(cmd: CreateSweep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    title = check_text(cmd.title, "title", low=1, high=100, zh="标题")
    reason = check_text(cmd.reason, "reason", low=0, high=2000, zh="排查原因")
    checklist = check_checklist(cmd.checklist)
    due_at = check_due(cmd.due_at, now)
    projects = sorted(set(cmd.project_ids)) if cmd.project_ids is not None else None
    if projects is not None and not projects:
        raise invalid("请至少选择一个项目，或不填表示全部项目。Name a project, or none for every project.", "projectIds")
    async with uow:
        request = {"title": title, "reason": reason, "checklist": [i.as_json() for i in checklist], "dueAt": due_at.isoformat(),
                   "projectIds": [str(p) for p in projects] if projects is not None else None}
        if (done := await uow.claim(cmd.idempotency_key, "createSweep", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.SWEEP_MANAGE)
        sweep_id = await repository.insert(uow, title=title, reason=reason, checklist=checklist, projects=projects, due_at=due_at)
        repository.audit(uow, "sweep.created", sweep_id, None, {"title": title, "items": len(checklist)}, to_state="draft")
        await uow.commit({"id": str(sweep_id)})
    return sweep_id


async def launch_sweep(sweep_id: UUID, uow: UnitOfWork, *, idempotency_key: str | None = None,
                       now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(idempotency_key, "launchSweep", {"sweepId": str(sweep_id)}) is not None:
            return sweep_id
        uow.require(Permission.SWEEP_MANAGE, None, "sweepId")
        sweep = await repository.locked_sweep(uow, sweep_id)
        if sweep.state != "draft":
            raise DomainError(ErrorCode.INVALID_STATE, "排查行动已下发。The sweep was launched already.", "sweepId")
        if sweep.due_at <= now:
            raise invalid("截止时间已过，请新建排查行动。The due time has passed; create a new sweep.", "sweepId")
        for part in await repository.launch(uow, sweep, now):
            await ladder.plant(uow.conn, org_id=uow.org_id, project_id=part.project_id, kind="sweep_project",
                               subject_id=part.id, owner=None, start=now, due=sweep.due_at)
            repository.audit(uow, "sweep.launched", sweep.id, part.project_id, {"due_at": sweep.due_at.isoformat()},
                             to_state="pending")
        await uow.commit({"id": str(sweep.id)})
    return sweep_id


async def record_sweep_result(cmd: RecordSweepResult, uow: UnitOfWork, *, now: datetime | None = None) -> UUID | None:
    """One item's result for a project; a hazard goes on the register. Returns the hazard's id."""
    now = now or datetime.now(UTC)
    if cmd.result not in RESULT_LABELS:
        raise invalid("未知的排查结果。Unknown result.", "result")
    if (cmd.result == "hazard") != (cmd.hazard is not None):
        raise invalid("结果为“有隐患”时须填写隐患，其余不填。Describe the hazard for a HAZARD result only.", "hazard")
    note = check_text(cmd.note, "note", low=0, high=1000, zh="备注")
    found = None
    if cmd.hazard is not None:
        found = replace(cmd.hazard, project_id=cmd.project_id, source="sweep", source_id=cmd.sweep_id)
        title, description, place, photos = hazards.check_hazard(found)
    async with uow:
        request = {"sweepId": str(cmd.sweep_id), "projectId": str(cmd.project_id), "itemCode": cmd.item_code,
                   "result": cmd.result, "note": note, "hazard": found.title if found else None}
        if (done := await uow.claim(cmd.idempotency_key, "recordSweepResult", request)) is not None:
            return UUID(done["hazard"]) if done.get("hazard") else None
        uow.require(Permission.SWEEP_RECORD, cmd.project_id)
        sweep = await repository.locked_sweep(uow, cmd.sweep_id)
        if sweep.state != "launched":
            raise _not_launched()
        part = await repository.locked_part(uow, cmd.sweep_id, cmd.project_id)
        if part.state == "submitted":
            raise DomainError(ErrorCode.INVALID_STATE, "本项目已提交排查结果。This project has submitted its results.", "sweepId")
        if cmd.item_code not in {i["code"] for i in sweep.checklist}:
            raise invalid("排查清单中没有这一项。The checklist has no such item.", "itemCode")
        if await repository.previous_result(uow, cmd.sweep_id, cmd.project_id, cmd.item_code) == "hazard":
            raise DomainError(ErrorCode.CONFLICT, "这一项已登记隐患，请在隐患台账中处理。This item's hazard is on the "
                                                  "register already.", "itemCode")
        hazard_id = None
        if found is not None:
            h = await hazards.add_hazard(uow, found, title=title, description=description, place=place, photos=photos, now=now)
            hazard_id = h.id
        await repository.record_result(uow, part_id=part.id, sweep_id=cmd.sweep_id, project_id=cmd.project_id,
                                       code=cmd.item_code, result=cmd.result, hazard_id=hazard_id, note=note)
        await uow.commit({"hazard": str(hazard_id) if hazard_id else None})
    return hazard_id


async def submit_sweep(cmd: SubmitSweep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "submitSweep", {"sweepId": str(cmd.sweep_id),
                                                                "projectId": str(cmd.project_id)}) is not None:
            return cmd.sweep_id
        uow.require(Permission.SWEEP_RECORD, cmd.project_id)
        sweep = await repository.locked_sweep(uow, cmd.sweep_id)
        if sweep.state != "launched":
            raise _not_launched()
        part = await repository.locked_part(uow, cmd.sweep_id, cmd.project_id)
        if part.state == "submitted":
            raise DomainError(ErrorCode.INVALID_STATE, "本项目已提交排查结果。This project has submitted its results.", "sweepId")
        checked, found = await repository.submit(uow, part_id=part.id, sweep_id=cmd.sweep_id, project_id=cmd.project_id, now=now)
        if checked < len(sweep.checklist):
            raise invalid(f"还有{len(sweep.checklist) - checked}项未排查。{len(sweep.checklist) - checked} items have no "
                          "result yet.", "sweepId")
        await ladder.stop(uow.conn, org_id=uow.org_id, kind="sweep_project", subject_id=part.id)
        repository.audit(uow, "sweep.submitted", cmd.sweep_id, cmd.project_id,
                         {"items_checked": checked, "hazards_found": found, "late": now > sweep.due_at},
                         from_state=part.state, to_state="submitted")
        await uow.commit({"id": str(cmd.sweep_id)})
    return cmd.sweep_id


async def update_sweep(cmd: UpdateSweep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    now = now or datetime.now(UTC)
    title = check_text(cmd.title, "title", low=1, high=100, zh="标题") if cmd.title is not None else None
    reason = check_text(cmd.reason, "reason", low=0, high=2000, zh="排查原因") if cmd.reason is not None else None
    checklist = check_checklist(cmd.checklist) if cmd.checklist is not None else None
    due_at = check_due(cmd.due_at, now) if cmd.due_at is not None else None
    async with uow:
        request = {"sweepId": str(cmd.sweep_id), "title": title, "reason": reason, "dueAt": due_at.isoformat() if due_at else None,
                   "checklist": [i.as_json() for i in checklist] if checklist is not None else None}
        if await uow.claim(cmd.idempotency_key, "updateSweep", request) is not None:
            return cmd.sweep_id
        uow.require(Permission.SWEEP_MANAGE, None, "sweepId")
        sweep = await repository.locked_sweep(uow, cmd.sweep_id)
        if sweep.state == "closed":
            raise DomainError(ErrorCode.INVALID_STATE, "排查行动已结束，不能修改。The sweep is closed.", "sweepId")
        if checklist is not None and sweep.state != "draft":
            raise DomainError(ErrorCode.INVALID_STATE, "排查清单下发后不能修改。The checklist is fixed once launched.", "checklist")
        items = [i.as_json() for i in checklist] if checklist is not None else list(sweep.checklist)
        await repository.update(uow, sweep.id, title=title if title is not None else sweep.title,
                                reason=reason if reason is not None else sweep.reason, checklist=items,
                                due_at=due_at or sweep.due_at)
        if due_at is not None and due_at != sweep.due_at and sweep.state == "launched":
            for part in await repository.open_parts(uow, sweep.id):
                await ladder.plant(uow.conn, org_id=uow.org_id, project_id=part.project_id, kind="sweep_project",
                                   subject_id=part.id, owner=None, start=now, due=due_at)
        changed = {k: v for k, v in request.items() if v is not None and k != "sweepId"}
        repository.audit(uow, "sweep.updated", sweep.id, None, changed | {"before": {
            "title": sweep.title, "dueAt": sweep.due_at.isoformat(), "items": len(sweep.checklist)}})
        await uow.commit({"id": str(sweep.id)})
    return cmd.sweep_id


async def close_sweep(cmd: CloseSweep, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """结束: a draft withdrawn, or a sweep under way ended; what was submitted stays on the board."""
    now = now or datetime.now(UTC)
    note = check_text(cmd.note, "note", low=0, high=500, zh="结束说明")
    async with uow:
        if await uow.claim(cmd.idempotency_key, "closeSweep", {"sweepId": str(cmd.sweep_id), "note": note}) is not None:
            return cmd.sweep_id
        uow.require(Permission.SWEEP_MANAGE, None, "sweepId")
        sweep = await repository.locked_sweep(uow, cmd.sweep_id)
        if sweep.state == "closed":
            raise DomainError(ErrorCode.INVALID_STATE, "排查行动已结束。The sweep is closed already.", "sweepId")
        open_parts = await repository.open_parts(uow, sweep.id)
        for part in open_parts:
            await ladder.stop(uow.conn, org_id=uow.org_id, kind="sweep_project", subject_id=part.id)
        await repository.close(uow, sweep.id, note=note, now=now)
        repository.audit(uow, "sweep.closed", sweep.id, None, {"note": note, "not_submitted": len(open_parts)},
                         from_state=sweep.state, to_state="closed")
        await uow.commit({"id": str(sweep.id)})
    return cmd.sweep_id
