"""催缴 Reminders as staff and residents see them (docs/resident-services.md §6.6, §6.9): a
project's quiet hours and cap, its schedules, a flat's reminders and open hold. Shaping rows
only; the rows come from domain/fees/reminder_reads.py in the caller's wall."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import strawberry

from api.graphql.types.fee_scalars import Fen
from api.graphql.types.node import to_global_id
from domain.fees.money import yuan
from domain.fees.reminder_commands import WAY_LABELS, ReminderWay

ReminderWayType = strawberry.enum(ReminderWay, name="ReminderWay",
                                  description="催缴方式 自动 auto (a schedule's), 电话 phone, 上门 visit, 书面 letter")


@strawberry.type(description="收费设置 A project's quiet hours (Beijing; the window may cross midnight) and its cap of "
                             "automatic reminders per flat and month, from all schedules together.")
class FeeSettings:
    project_id: strawberry.ID
    quiet_from: time
    quiet_until: time
    reminder_cap_per_month: int

    @classmethod
    def from_row(cls, r: Any) -> FeeSettings:
        return cls(project_id=to_global_id("Project", r.project_id), quiet_from=r.quiet_from, quiet_until=r.quiet_until,
                   reminder_cap_per_month=r.cap)


@strawberry.type(description="催缴计划 An automatic reminder: flats owing at least `minAmount` for at least "
                             "`minOverdueDays`, at most once every `everyDays`.")
class ReminderSchedule:
    id: strawberry.ID
    project_id: strawberry.ID
    name: str
    min_overdue_days: int
    min_amount: Fen  # type: ignore[valid-type]
    every_days: int
    charge_item_ids: list[strawberry.ID] | None = strawberry.field(description="Only these items' bills; null: every item.")
    channel_ids: list[strawberry.ID] = strawberry.field(description="The messaging bridges told of each batch.")
    to_app: bool = strawberry.field(description="The resident also sees it in the owner app.")
    active: bool
    created_at: datetime

    @classmethod
    def from_row(cls, r: Any) -> ReminderSchedule:
        return cls(id=to_global_id("ReminderSchedule", r.id), project_id=to_global_id("Project", r.project_id), name=r.name,
                   min_overdue_days=r.min_overdue_days, min_amount=r.min_amount_fen, every_days=r.every_days,
                   charge_item_ids=[to_global_id("ChargeItem", i) for i in r.charge_item_ids]
                   if r.charge_item_ids is not None else None,
                   channel_ids=[to_global_id("DeliveryChannel", c) for c in r.channel_ids or ()], to_app=r.to_app,
                   active=r.active, created_at=r.created_at)


@strawberry.type(description="催缴渠道 A messaging bridge a reminder schedule of the project can use: a webhook of the "
                             "company or the project that hears fee.reminders. Its address and secret are not shown.")
class ReminderChannel:
    id: strawberry.ID
    name: str
    active: bool
    project_id: strawberry.ID | None = strawberry.field(description="The project it belongs to; null: company-wide.")
    created_at: datetime

    @classmethod
    def from_row(cls, r: Any) -> ReminderChannel:
        return cls(id=to_global_id("DeliveryChannel", r.id), name=r.name, active=r.active,
                   project_id=to_global_id("Project", r.project_id) if r.project_id else None, created_at=r.created_at)


@strawberry.type(description="催缴记录 One reminder: sent by a schedule, or made by a person (a record, not a send).")
class FeeReminder:
    id: strawberry.ID
    unit_id: strawberry.ID
    way: ReminderWayType  # type: ignore[valid-type]
    schedule_name: str | None
    overdue: Fen = strawberry.field(description="What the flat owed overdue that day.")  # type: ignore[valid-type]
    oldest_due_on: date | None
    sent_on: date = strawberry.field(description="The Beijing day.")
    by: str = strawberry.field(description="Who recorded it (system:fee-reminders for a schedule's).")
    note: str
    created_at: datetime

    @strawberry.field
    def way_label(self) -> str:
        return WAY_LABELS[ReminderWay(self.way)]

    @strawberry.field
    def overdue_yuan(self) -> str:
        return yuan(self.overdue)

    @classmethod
    def from_row(cls, r: Any) -> FeeReminder:
        return cls(id=to_global_id("FeeReminder", r.id), unit_id=to_global_id("Unit", r.unit_id), way=ReminderWay(r.way),
                   schedule_name=r.schedule_name, overdue=r.overdue_fen, oldest_due_on=r.oldest_due_on, sent_on=r.sent_on,
                   by=r.by, note=r.note, created_at=r.created_at)


@strawberry.type(description="最近催缴 A flat's latest reminder, automatic or by a person.")
class LastReminder:
    way: ReminderWayType  # type: ignore[valid-type]
    sent_on: date
    at: datetime

    @strawberry.field
    def way_label(self) -> str:
        return WAY_LABELS[ReminderWay(self.way)]

    @classmethod
    def from_row(cls, r: Any) -> LastReminder:
        return cls(way=ReminderWay(r.way), sent_on=r.sent_on, at=r.created_at)


@strawberry.type(description="暂停催缴 A flat's automatic reminders paused through `until` (协商中, 诉讼中 …).")
class FeeHold:
    id: strawberry.ID
    unit_id: strawberry.ID
    until: date
    reason: str
    by: str
    created_at: datetime
    released_at: datetime | None = None

    @classmethod
    def from_row(cls, r: Any) -> FeeHold:
        return cls(id=to_global_id("FeeHold", r.id), unit_id=to_global_id("Unit", r.unit_id), until=r.until, reason=r.reason,
                   by=r.by, created_at=r.created_at, released_at=getattr(r, "released_at", None))


@strawberry.type(description="我的催缴 A reminder of one of the resident's flats meant for the app.")
class ResidentReminder:
    id: strawberry.ID
    unit_id: strawberry.ID
    way: ReminderWayType  # type: ignore[valid-type]
    overdue: Fen  # type: ignore[valid-type]
    oldest_due_on: date | None
    sent_on: date

    @strawberry.field
    def overdue_yuan(self) -> str:
        return yuan(self.overdue)

    @classmethod
    def from_row(cls, r: Any) -> ResidentReminder:
        return cls(id=to_global_id("FeeReminder", r.id), unit_id=to_global_id("Unit", r.unit_id), way=ReminderWay(r.way),
                   overdue=r.overdue_fen, oldest_due_on=r.oldest_due_on, sent_on=r.sent_on)
