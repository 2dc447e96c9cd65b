"""Time-travel tests of the deadline maths (DESIGN §4): Spring Festival, 调休 Saturdays, working
hours, pauses, the company's own days, and years no calendar covers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from domain.sla.calendar import CHINA, Calendar, Clock, ClockKind


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHINA)


ALWAYS = Clock(ClockKind.ALWAYS)
HOURS = Clock(ClockKind.WORKING_HOURS)
DAYS = Clock(ClockKind.WORKING_DAYS)


def test_a_24x7_clock_ignores_holidays():
    assert ALWAYS.add(at(2026, 2, 16, 23, 0), 120).at == at(2026, 2, 17, 1, 0)  # 除夕 night
    assert ALWAYS.elapsed(at(2026, 2, 16, 23, 0), at(2026, 2, 17, 1, 0)) == 120


def test_five_working_days_across_spring_festival_include_the_make_up_saturday():
    # Fri 13 Feb 2026 → Sat 14 (调休, a working day), holiday 15–23, then 24, 25, 26, 27.
    due = DAYS.add(at(2026, 2, 13, 10, 0), 5 * 1440)
    assert due.at == at(2026, 2, 27, 10, 0) and not due.provisional


def test_working_hours_carry_over_night_weekend_and_holiday():
    assert HOURS.add(at(2026, 11, 20, 16, 30), 120).at == at(2026, 11, 23, 9, 30)  # Fri 16:30 + 2 h → Mon 09:30
    assert HOURS.add(at(2026, 11, 22, 12, 40), 30).at == at(2026, 11, 23, 9, 0)  # Sunday: starts Monday 08:30
    assert HOURS.add(at(2026, 11, 23, 6, 0), 60).at == at(2026, 11, 23, 9, 30)  # before opening
    assert HOURS.add(at(2026, 9, 30, 17, 0), 60).at == at(2026, 10, 8, 9, 0)  # National Day 1–7 Oct, back on the 8th
    assert HOURS.add(at(2026, 10, 9, 17, 0), 60).at == at(2026, 10, 10, 9, 0)  # Sat 10 Oct is a make-up working day
    assert HOURS.add(at(2026, 2, 13, 16, 0), 120).at == at(2026, 2, 14, 9, 0)  # into the 调休 Saturday


def test_elapsed_working_time_is_what_a_pause_gives_back():
    assert HOURS.elapsed(at(2026, 11, 20, 16, 0), at(2026, 11, 23, 10, 0)) == 90 + 90
    assert HOURS.elapsed(at(2026, 11, 21, 9, 0), at(2026, 11, 21, 18, 0)) == 0  # a Saturday
    # Paused an hour inside working hours: the deadline moves one working hour, over the night.
    start, budget = at(2026, 11, 20, 9, 0), 8 * 60
    paused = HOURS.elapsed(at(2026, 11, 20, 10, 0), at(2026, 11, 20, 11, 0))
    assert HOURS.add(start, budget).at == at(2026, 11, 20, 17, 0)
    assert HOURS.add(start, budget + paused).at == at(2026, 11, 23, 9, 0)
    assert DAYS.elapsed(at(2026, 2, 13, 10, 0), at(2026, 2, 24, 9, 0)) == 2 * 1440  # Sat 14 and Tue 24


def test_the_company_own_days_win_and_hours_are_the_project_s():
    calendar = Calendar({date(2026, 11, 23): False, date(2026, 11, 22): True}, opens=time(9, 0), closes=time(18, 0))
    clock = Clock(ClockKind.WORKING_HOURS, calendar)
    assert clock.add(at(2026, 11, 22, 17, 0), 120).at == at(2026, 11, 24, 10, 0)  # Sunday worked, Monday off


def test_a_year_no_calendar_covers_counts_weekends_only_and_says_so():
    due = DAYS.add(at(2026, 12, 30, 10, 0), 3 * 1440)
    # 31 Dec is covered; 1 Jan 2027 is not (a Friday: counted as a working day), then Mon 4 Jan.
    assert due.at == at(2027, 1, 4, 10, 0)
    assert due.provisional and date(2027, 1, 1) in due.uncovered
    assert not DAYS.add(at(2026, 12, 1, 10, 0), 1440).provisional
    entered = Clock(ClockKind.WORKING_DAYS, Calendar({date(2027, 1, 1): False}))
    assert date(2027, 1, 1) not in entered.add(at(2026, 12, 30, 10, 0), 3 * 1440).uncovered


def test_impossible_inputs_are_refused_not_guessed():
    with pytest.raises(ValueError):
        ALWAYS.add(at(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        Calendar(opens=time(18, 0), closes=time(9, 0))
    assert HOURS.elapsed(at(2026, 1, 2), at(2026, 1, 1)) == 0
    assert (HOURS.add(at(2026, 11, 20, 9, 0), 0).at - at(2026, 11, 20, 9, 0)) == timedelta(0)
