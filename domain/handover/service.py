"""交接班 use cases, each in the caller's unit of work: check the input, claim the idempotency key,
load (locked) what changes, check handover:write on its project, apply the rule, write, commit
with the audit row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.handover import repository as logs
from domain.handover.commands import AcknowledgeHandover, AddLogEntry, CloseLogItem, HandOverShift, OpenShiftLog
from domain.handover.rules import (
    check_kind, check_span, check_summary, check_text, log_not_open, not_acknowledged, person_of, shift_open_conflict,
)
from domain.errors import DomainError, ErrorCode, invalid
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


def _audit(uow: UnitOfWork, action: str, entity: str, entity_id: UUID, project_id: UUID, data: dict[str, Any],
           *, from_state: str | None = None, to_state: str | None = None) -> None:
    uow.track(Aggregate(audit=[AuditEntry(action=action, entity=entity, entity_id=entity_id, project_id=project_id,
                                          from_state=from_state, to_state=to_state, data=data)]))


async def open_shift_log(cmd: OpenShiftLog, uow: UnitOfWork) -> UUID:
    """接班: a new log for the department (or the service centre); it takes over the last handed-over
    one, whose open items are copied in and which must be acknowledged before it is written in."""
    check_span(cmd.shift_start, cmd.shift_end)
    author = person_of(uow.actor)
    async with uow:
        request = {"projectId": str(cmd.project_id), "departmentId": str(cmd.department_id) if cmd.department_id else None,
                   "shiftStart": cmd.shift_start.isoformat(), "shiftEnd": cmd.shift_end.isoformat()}
        if (done := await uow.claim(cmd.idempotency_key, "openShiftLog", request)) is not None:
            return UUID(done["id"])
        uow.require(Permission.HANDOVER_WRITE, cmd.project_id)
        conn = uow.conn
        await logs.check_department(conn, uow.org_id, cmd.project_id, cmd.department_id)
        await logs.lock_department(conn, cmd.project_id, cmd.department_id)
        if await logs.has_open(conn, uow.org_id, cmd.project_id, cmd.department_id):
            raise shift_open_conflict()
        prev = await logs.previous(conn, uow.org_id, cmd.project_id, cmd.department_id)
        log_id = await logs.insert(conn, org_id=uow.org_id, project_id=cmd.project_id, department_id=cmd.department_id,
                                   start=cmd.shift_start, end=cmd.shift_end, author=author)
        carried = await logs.take_over(conn, uow.org_id, prev, log_id) if prev else 0
        _audit(uow, "shift_log.opened", "shift_log", log_id, cmd.project_id,
               {"previous_log_id": str(prev) if prev else None, "carried": carried}, to_state="open")
        await uow.commit({"id": str(log_id)})
    return log_id


async def add_log_entry(cmd: AddLogEntry, uow: UnitOfWork) -> UUID:
    kind, body = check_kind(cmd.kind), check_text(cmd.text)
    user = person_of(uow.actor)
    async with uow:
        request = {"logId": str(cmd.log_id), "kind": kind, "text": body, "caseId": str(cmd.case_id) if cmd.case_id else None}
        if (done := await uow.claim(cmd.idempotency_key, "addLogEntry", request)) is not None:
            return UUID(done["id"])
        # Locked, so an entry cannot slip into a log while it is being handed over.
        log = await logs.log(uow.conn, uow.org_id, cmd.log_id, lock=True)
        uow.require(Permission.HANDOVER_WRITE, log.project_id, "logId")
        if log.state != "open":
            raise log_not_open()
        if log.received and not await logs.acknowledged(uow.conn, uow.org_id, log.id, user):
            raise not_acknowledged()
        if cmd.case_id is not None:
            await logs.check_case(uow.conn, uow.org_id, cmd.case_id, log.project_id)
        entry_id = await logs.add_entry(uow.conn, org_id=uow.org_id, project_id=log.project_id, log_id=log.id, kind=kind,
                                        text_=body, case_id=cmd.case_id, author=uow.actor)
        _audit(uow, "shift_log.entry_added", "shift_log", log.id, log.project_id,
               {"entry_id": str(entry_id), "kind": kind, "case_id": str(cmd.case_id) if cmd.case_id else None})
        await uow.commit({"id": str(entry_id)})
    return entry_id


async def close_log_item(cmd: CloseLogItem, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """销项: an open item of an open log is done."""
    now = now or datetime.now(UTC)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "closeLogItem", {"entryId": str(cmd.entry_id)}) is not None:
            return cmd.entry_id
        entry = await logs.entry(uow.conn, uow.org_id, cmd.entry_id)
        log = await logs.log(uow.conn, uow.org_id, entry.log_id, lock=True)
        uow.require(Permission.HANDOVER_WRITE, log.project_id, "entryId")
        if entry.kind != "open_item":
            raise invalid("只有遗留事项可以销项。Only an open item can be closed.", "entryId")
        if log.state != "open":
            raise log_not_open()
        if entry.done_at is not None:
            raise DomainError(ErrorCode.INVALID_STATE, "此事项已销项。This item is already closed.", "entryId")
        await logs.mark_done(uow.conn, uow.org_id, entry.id, at=now, by=uow.actor)
        _audit(uow, "shift_log.item_closed", "shift_log", log.id, log.project_id, {"entry_id": str(entry.id)})
        await uow.commit({"id": str(cmd.entry_id)})
    return cmd.entry_id


async def hand_over_shift(cmd: HandOverShift, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """交班: the log closes with its summary; its open items wait for the next shift's log."""
    now = now or datetime.now(UTC)
    summary = check_summary(cmd.summary)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "handOverShift", {"logId": str(cmd.log_id), "summary": summary}) is not None:
            return cmd.log_id
        log = await logs.log(uow.conn, uow.org_id, cmd.log_id, lock=True)
        uow.require(Permission.HANDOVER_WRITE, log.project_id, "logId")
        if log.state != "open":
            raise log_not_open()
        left = await logs.hand_over(uow.conn, uow.org_id, log.id, summary=summary, at=now, by=uow.actor)
        _audit(uow, "shift_log.handed_over", "shift_log", log.id, log.project_id, {"open_items": left},
               from_state="open", to_state="handed_over")
        await uow.commit({"id": str(cmd.log_id)})
    return cmd.log_id


async def acknowledge_handover(cmd: AcknowledgeHandover, uow: UnitOfWork) -> UUID:
    """签收 by name: the caller has read what the last shift left, and may now write in the log."""
    user = person_of(uow.actor)
    async with uow:
        if await uow.claim(cmd.idempotency_key, "acknowledgeHandover", {"logId": str(cmd.log_id)}) is not None:
            return cmd.log_id
        log = await logs.log(uow.conn, uow.org_id, cmd.log_id)
        uow.require(Permission.HANDOVER_WRITE, log.project_id, "logId")
        if not log.received:
            raise invalid("此日志没有上一班的交接，无需签收。This log took over no handover: there is nothing to acknowledge.",
                          "logId")
        if await logs.acknowledge(uow.conn, org_id=uow.org_id, project_id=log.project_id, log_id=log.id, user_id=user):
            _audit(uow, "shift_log.acknowledged", "shift_log", log.id, log.project_id, {"user_id": str(user)})
        await uow.commit({"id": str(cmd.log_id)})
    return cmd.log_id
