"""Deadline maths (DESIGN §4): clocks that run 24/7, in a project's working hours, or in working
days, over China's public holidays and make-up working days (调休) from `chinesecalendar`, with
days a company enters itself taking precedence. A date no source covers counts weekends only
and makes the deadline provisional — never a crash, never a silent guess. Pure: no database,
no clock of its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum

import chinese_calendar

CHINA = timezone(timedelta(hours=8))


def beijing_midnight(day: date) -> datetime:
    """The instant a Beijing calendar day begins."""
    return datetime.combine(day, time.min, CHINA)


def add_months(month: date, n: int) -> date:
    """The first day of the month n months after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)
DAY = timedelta(days=1)
MAX_DAYS = 3660  # ten years of walking: a budget beyond that is a data error, not a deadline


class ClockKind(StrEnum):
    ALWAYS = "always"  # 24/7, in minutes
    WORKING_HOURS = "working_hours"  # minutes inside the project's working hours on working days
    WORKING_DAYS = "working_days"  # whole working days, same time of day


@dataclass(frozen=True)
class Deadline:
    at: datetime
    # Days consulted that no calendar covers: the deadline counted weekends only there.
    uncovered: frozenset[date] = frozenset()

    @property
    def provisional(self) -> bool:
        return bool(self.uncovered)


@dataclass(frozen=True)
class Calendar:
    """Working days: the company's own entries first (True = working day), then the State
    Council's calendar as `chinesecalendar` knows it, then plain weekends, flagged."""

    own_days: Mapping[date, bool] = field(default_factory=dict)
    opens: time = time(8, 30)
    closes: time = time(17, 30)

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError("working hours must close after they open")

    def workday(self, d: date) -> tuple[bool, bool]:
        """(is a working day, covered by a calendar)."""
        if d in self.own_days:
            return self.own_days[d], True
        try:
            return chinese_calendar.is_workday(d), True
        except NotImplementedError:
            return d.weekday() < 5, False


@dataclass(frozen=True)
class Clock:
    kind: ClockKind
    calendar: Calendar = field(default_factory=Calendar)

    def add(self, start: datetime, minutes: float) -> Deadline:
        """The moment `minutes` of this clock's time after `start`."""
        if minutes < 0:
            raise ValueError("a budget cannot be negative")
        if self.kind is ClockKind.ALWAYS:
            return Deadline(start + timedelta(minutes=minutes))
        if self.kind is ClockKind.WORKING_DAYS:
            return self._add_days(start, minutes / 1440)
        return self._add_working_minutes(start, minutes)

    def elapsed(self, start: datetime, end: datetime) -> float:
        """This clock's minutes between two moments (0 if end is not after start)."""
        if end <= start:
            return 0.0
        if self.kind is ClockKind.ALWAYS:
            return (end - start).total_seconds() / 60
        if self.kind is ClockKind.WORKING_DAYS:
            days, d = 0, start.astimezone(CHINA).date()
            last = end.astimezone(CHINA).date()
            while d < last:
                d += DAY
                days += self.calendar.workday(d)[0]
            return days * 1440.0
        total, local, until = 0.0, start.astimezone(CHINA), end.astimezone(CHINA)
        d = local.date()
        while d <= until.date():
            if self.calendar.workday(d)[0]:
                lo = max(local, datetime.combine(d, self.calendar.opens, CHINA))
                hi = min(until, datetime.combine(d, self.calendar.closes, CHINA))
                if hi > lo:
                    total += (hi - lo).total_seconds() / 60
            d += DAY
        return total

    def _add_days(self, start: datetime, days: float) -> Deadline:
        local, uncovered, counted = start.astimezone(CHINA), set(), 0
        whole = int(days) if days == int(days) else int(days) + 1  # a part day is a whole one
        d = local.date()
        for _ in range(MAX_DAYS):
            if counted >= whole:
                break
            d += DAY
            working, covered = self.calendar.workday(d)
            if not covered:
                uncovered.add(d)
            counted += working
        else:
            raise ValueError("budget too large for a working-day clock")
        return Deadline(datetime.combine(d, local.timetz().replace(tzinfo=None), CHINA).astimezone(start.tzinfo),
                        frozenset(uncovered))

    def _add_working_minutes(self, start: datetime, minutes: float) -> Deadline:
        local, uncovered = start.astimezone(CHINA), set()
        left = timedelta(minutes=minutes)
        d = local.date()
        for _ in range(MAX_DAYS):
            working, covered = self.calendar.workday(d)
            if not covered:
                uncovered.add(d)
            if working:
                opens = max(local, datetime.combine(d, self.calendar.opens, CHINA))
                closes = datetime.combine(d, self.calendar.closes, CHINA)
                if closes > opens:
                    if opens + left <= closes:
                        return Deadline((opens + left).astimezone(start.tzinfo), frozenset(uncovered))
                    left -= closes - opens
            d += DAY
        raise ValueError("budget too large for a working-hours clock")
