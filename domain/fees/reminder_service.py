"""Reminders as staff set them up and keep them (docs/resident-services.md §6.6): the project's
quiet hours and cap, schedules (`fee:manage`); a person's reminder and holds on a flat
(`fee:collect`). One function per use case in the caller's unit of work — claim the key, find the
record in the caller's wall (another company's or project's is not found), the permission on its
project, the rule, write, one audit row and event, commit. A person's reminder is a record, not a
send: it counts toward no cap."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.errors import invalid, not_found
from domain.events import Event
from domain.fees.model import text_field
from domain.fees.reminder_commands import (
    CreateReminderSchedule, HoldFeeReminders, RecordFeeReminder, ReleaseFeeHold, ReminderWay, SetFeeSettings,
    UpdateReminderSchedule,
)
from domain.fees.reminder_repository import ReminderRepository
from domain.fees.reminder_rules import Schedule, beijing, check_cap, check_hold_until, clock_time, month_of, new_schedule
from domain.unit_of_work import Aggregate, AuditEntry, UnitOfWork
from tenants.roles import Permission


def _announce(uow: UnitOfWork, topic: str, entity: str, entity_id: UUID, project_id: UUID, data: dict[str, Any]) -> None:
    event = Event(topic=topic, org_id=uow.org_id, project_id=project_id,
                  payload={f"{entity}_id": str(entity_id), "actor": uow.actor, **data})
    uow.track(Aggregate(audit=[AuditEntry(action=topic, entity=entity, entity_id=entity_id, project_id=project_id,
                                          data=data, event_id=event.id)], events=[event]))


def _schedule_data(s: Schedule) -> dict[str, Any]:
    return {"name": s.name, "min_overdue_days": s.min_overdue_days, "min_amount_fen": s.min_amount_fen,
            "every_days": s.every_days, "to_app": s.to_app, "active": s.active,
            "charge_item_ids": [str(i) for i in s.charge_item_ids] if s.charge_item_ids else None,
            "channel_ids": [str(c) for c in s.channel_ids]}


async def _references(repo: ReminderRepository, project_id: UUID, s: Schedule) -> None:
    if (field := await repo.all_found(project_id, s.charge_item_ids, s.channel_ids)) is not None:
        raise not_found("A charge item" if field == "chargeItemIds" else "A delivery channel", field,
                        zh="收费项目" if field == "chargeItemIds" else "通知渠道")


async def set_fee_settings(cmd: SetFeeSettings, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.FEE_MANAGE, cmd.project_id)
        request = {"projectId": str(cmd.project_id), "quietFrom": cmd.quiet_from.isoformat(),
                   "quietUntil": cmd.quiet_until.isoformat(), "cap": cmd.reminder_cap_per_month}
        if await uow.claim(cmd.idempotency_key, "setFeeSettings", request) is not None:
            return cmd.project_id
        repo = ReminderRepository(uow.conn, uow.org_id)
        if not await repo.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        quiet_from, quiet_until = clock_time(cmd.quiet_from, "quietFrom"), clock_time(cmd.quiet_until, "quietUntil")
        cap = check_cap(cmd.reminder_cap_per_month)
        await repo.set_settings(cmd.project_id, quiet_from, quiet_until, cap, uow.actor)
        _announce(uow, "fee_settings.set", "project", cmd.project_id, cmd.project_id,
                  {"quiet_from": quiet_from.isoformat("minutes"), "quiet_until": quiet_until.isoformat("minutes"),
                   "reminder_cap_per_month": cap})
        await uow.commit({"id": str(cmd.project_id)})
    return cmd.project_id


async def create_reminder_schedule(cmd: CreateReminderSchedule, uow: UnitOfWork) -> UUID:
    async with uow:
        uow.require(Permission.FEE_MANAGE, cmd.project_id)
        schedule = new_schedule(cmd.values)
        request = {"projectId": str(cmd.project_id), **_schedule_data(schedule)}
        if (done := await uow.claim(cmd.idempotency_key, "createReminderSchedule", request)) is not None:
            return UUID(done["id"])
        repo = ReminderRepository(uow.conn, uow.org_id)
        if not await repo.project_exists(cmd.project_id):
            raise not_found("The project", "projectId", zh="项目")
        await _references(repo, cmd.project_id, schedule)
        schedule_id = await repo.add_schedule(cmd.project_id, schedule, uow.actor)
        _announce(uow, "reminder_schedule.created", "reminder_schedule", schedule_id, cmd.project_id, _schedule_data(schedule))
        await uow.commit({"id": str(schedule_id)})
    return schedule_id


async def update_reminder_schedule(cmd: UpdateReminderSchedule, uow: UnitOfWork) -> UUID:
    async with uow:
        v = cmd.values
        request = {"scheduleId": str(cmd.schedule_id), "name": v.name, "minOverdueDays": v.min_overdue_days,
                   "minAmountFen": v.min_amount_fen, "everyDays": v.every_days, "toApp": v.to_app, "active": v.active,
                   "chargeItemIds": None if v.charge_item_ids is None else [str(i) for i in v.charge_item_ids],
                   "channelIds": None if v.channel_ids is None else [str(c) for c in v.channel_ids]}
        if await uow.claim(cmd.idempotency_key, "updateReminderSchedule", request) is not None:
            return cmd.schedule_id
        repo = ReminderRepository(uow.conn, uow.org_id)
        found = await repo.schedule(cmd.schedule_id)
        if found is None:
            raise not_found("The reminder schedule", "scheduleId", zh="催缴计划")
        project_id, before = found
        uow.require(Permission.FEE_MANAGE, project_id, "scheduleId")
        after = before.merged(v)
        if after != before:
            await _references(repo, project_id, after)
            await repo.save_schedule(cmd.schedule_id, after)
            _announce(uow, "reminder_schedule.updated", "reminder_schedule", cmd.schedule_id, project_id, _schedule_data(after))
        await uow.commit({"id": str(cmd.schedule_id)})
    return cmd.schedule_id


async def _unit_project(repo: ReminderRepository, uow: UnitOfWork, unit_id: UUID) -> UUID:
    project_id = await repo.unit_project(unit_id)
    if project_id is None:
        raise not_found("The unit", "unitId", zh="房屋")
    uow.require(Permission.FEE_COLLECT, project_id, "unitId")
    return project_id


async def record_fee_reminder(cmd: RecordFeeReminder, uow: UnitOfWork, now: datetime | None = None) -> UUID:
    """电话、上门、书面催缴: what the flat owed that day is kept beside the note."""
    today = beijing(now or datetime.now(UTC)).date()
    async with uow:
        request = {"unitId": str(cmd.unit_id), "way": cmd.way.value, "note": cmd.note}
        if (done := await uow.claim(cmd.idempotency_key, "recordFeeReminder", request)) is not None:
            return UUID(done["id"])
        repo = ReminderRepository(uow.conn, uow.org_id)
        project_id = await _unit_project(repo, uow, cmd.unit_id)
        if cmd.way is ReminderWay.AUTO:
            raise invalid("自动催缴由催缴计划发出，请选择电话、上门或书面。way must be PHONE, VISIT or LETTER.", "way")
        note = text_field(cmd.note, "note", zh="备注", max_len=500, required=False)
        reminder_id = await repo.record(project_id, cmd.unit_id, cmd.way.value, note, today, month_of(today), uow.actor)
        _announce(uow, "fee_reminder.recorded", "fee_reminder", reminder_id, project_id,
                  {"unit_id": str(cmd.unit_id), "way": cmd.way.value})
        await uow.commit({"id": str(reminder_id)})
    return reminder_id


async def hold_fee_reminders(cmd: HoldFeeReminders, uow: UnitOfWork, now: datetime | None = None) -> UUID:
    """暂停催缴 until a day (inclusive); a flat already held gets the new day and reason."""
    today = beijing(now or datetime.now(UTC)).date()
    async with uow:
        request = {"unitId": str(cmd.unit_id), "until": cmd.until.isoformat(), "reason": cmd.reason}
        if (done := await uow.claim(cmd.idempotency_key, "holdFeeReminders", request)) is not None:
            return UUID(done["id"])
        repo = ReminderRepository(uow.conn, uow.org_id)
        project_id = await _unit_project(repo, uow, cmd.unit_id)
        until = check_hold_until(cmd.until, today)
        reason = text_field(cmd.reason, "reason", zh="原因", max_len=200)
        hold_id = await repo.hold(project_id, cmd.unit_id, until, reason, uow.actor)
        _announce(uow, "fee_hold.set", "fee_hold", hold_id, project_id, {"unit_id": str(cmd.unit_id), "until": until.isoformat()})
        await uow.commit({"id": str(hold_id)})
    return hold_id


async def release_fee_hold(cmd: ReleaseFeeHold, uow: UnitOfWork) -> UUID | None:
    """The flat's open hold ends now; None when it had none (nothing written)."""
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "releaseFeeHold", {"unitId": str(cmd.unit_id)})) is not None:
            return UUID(done["id"]) if done.get("id") else None
        repo = ReminderRepository(uow.conn, uow.org_id)
        project_id = await _unit_project(repo, uow, cmd.unit_id)
        hold_id = await repo.release(cmd.unit_id, uow.actor)
        if hold_id is not None:
            _announce(uow, "fee_hold.released", "fee_hold", hold_id, project_id, {"unit_id": str(cmd.unit_id)})
        await uow.commit({"id": str(hold_id) if hold_id else None})
    return hold_id
