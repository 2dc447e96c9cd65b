"""The rules of reminders (docs/resident-services.md §6.6) that need no database: Beijing's clock,
quiet hours (a window may cross midnight), and what a schedule, the settings, a hold and a
person's record may hold. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from domain.errors import invalid
from domain.fees.money import MAX_FEN
from domain.fees.reminder_commands import ScheduleInput

BEIJING = timedelta(hours=8)
CAP_RANGE = (1, 10)


def beijing(now: datetime) -> datetime:
    """The wall clock in Beijing (no daylight saving), naive."""
    return (now.astimezone(UTC) + BEIJING).replace(tzinfo=None)


def month_of(day: date) -> date:
    return day.replace(day=1)


def quiet(at: time, quiet_from: time, quiet_until: time) -> bool:
    """Inside [from, until): 21:00–08:30 is quiet at 22:00 and at 03:00, not at 08:30. Equal ends
    mean no quiet hours."""
    if quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= at < quiet_until
    return at >= quiet_from or at < quiet_until


def check_cap(cap: int) -> int:
    lo, hi = CAP_RANGE
    if not lo <= cap <= hi:
        raise invalid(f"每月催缴上限须在 {lo} 到 {hi} 次之间。reminderCapPerMonth must be between {lo} and {hi}.",
                      "reminderCapPerMonth")
    return cap


def clock_time(value: time, field: str) -> time:
    """Minutes only: the sweep runs once a minute."""
    if value.second or value.microsecond or value.tzinfo is not None:
        raise invalid(f"「{field}」须为北京时间的时:分。{field} must be hours and minutes (Beijing).", field)
    return value


@dataclass(frozen=True, slots=True)
class Schedule:
    name: str
    min_overdue_days: int
    min_amount_fen: int
    every_days: int
    charge_item_ids: tuple[UUID, ...] | None
    channel_ids: tuple[UUID, ...]
    to_app: bool
    active: bool

    def merged(self, values: ScheduleInput) -> Schedule:
        """This schedule with the given fields changed, checked."""
        changed = {k: getattr(values, k) for k in ScheduleInput.__slots__ if getattr(values, k) is not None}
        if "charge_item_ids" in changed and not changed["charge_item_ids"]:
            changed["charge_item_ids"] = None  # an empty list: every item
        return replace(self, **changed).checked()

    def checked(self) -> Schedule:
        name = self.name.strip()
        if not 1 <= len(name) <= 50:
            raise invalid("名称须为 1 到 50 个字符。name must have 1–50 characters.", "name")
        if not 1 <= self.min_overdue_days <= 3650:
            raise invalid("逾期天数须在 1 到 3650 之间。minOverdueDays must be between 1 and 3650.", "minOverdueDays")
        if not 0 <= self.min_amount_fen <= MAX_FEN:
            raise invalid("起催金额不能为负。minAmount must not be negative.", "minAmount")
        if not 1 <= self.every_days <= 365:
            raise invalid("间隔天数须在 1 到 365 之间。everyDays must be between 1 and 365.", "everyDays")
        if len(self.channel_ids) > 10:
            raise invalid("最多选择 10 个渠道。At most 10 channels.", "channelIds")
        return replace(self, name=name, channel_ids=tuple(dict.fromkeys(self.channel_ids)),
                       charge_item_ids=tuple(dict.fromkeys(self.charge_item_ids)) if self.charge_item_ids else None)


def new_schedule(values: ScheduleInput) -> Schedule:
    if values.name is None or values.min_overdue_days is None or values.every_days is None:
        raise invalid("请填写名称、逾期天数和间隔天数。name, minOverdueDays and everyDays are required.", "name")
    return Schedule(name=values.name, min_overdue_days=values.min_overdue_days, min_amount_fen=values.min_amount_fen or 0,
                    every_days=values.every_days, charge_item_ids=values.charge_item_ids or None,
                    channel_ids=values.channel_ids or (), to_app=True if values.to_app is None else values.to_app,
                    active=True if values.active is None else values.active).checked()


def check_hold_until(until: date, today: date) -> date:
    if until < today:
        raise invalid("暂停截止日期不能早于今天。until must not be before today.", "until")
    if until > today + timedelta(days=366):
        raise invalid("暂停最长一年。A hold lasts at most a year.", "until")
    return until
