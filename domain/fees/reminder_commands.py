"""What a caller asks of reminders (催缴, docs/resident-services.md §6.6). Ids and amounts are
parsed before a command is made; domain/fees/reminder_rules.py checks the rest. In an update, a
field left None keeps its value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from uuid import UUID


class ReminderWay(StrEnum):
    AUTO = "auto"  # 自动: sent by a schedule
    PHONE = "phone"  # 电话
    VISIT = "visit"  # 上门
    LETTER = "letter"  # 书面


WAY_LABELS = {ReminderWay.AUTO: "自动", ReminderWay.PHONE: "电话", ReminderWay.VISIT: "上门", ReminderWay.LETTER: "书面"}


@dataclass(frozen=True, slots=True)
class SetFeeSettings:
    project_id: UUID
    quiet_from: time
    quiet_until: time
    reminder_cap_per_month: int
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    name: str | None = None
    min_overdue_days: int | None = None
    min_amount_fen: int | None = None
    every_days: int | None = None
    charge_item_ids: tuple[UUID, ...] | None = None  # () clears: every item
    channel_ids: tuple[UUID, ...] | None = None
    to_app: bool | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class CreateReminderSchedule:
    project_id: UUID
    values: ScheduleInput
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateReminderSchedule:
    schedule_id: UUID
    values: ScheduleInput
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class RecordFeeReminder:
    unit_id: UUID
    way: ReminderWay
    note: str = ""
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class HoldFeeReminders:
    unit_id: UUID
    until: date
    reason: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ReleaseFeeHold:
    unit_id: UUID
    idempotency_key: str | None = None
