"""A patrol plan's dates (domain/patrols/rules.py): the last day may not come before the first (the
same day is a one-day plan), and an edit may not give a plan an end already past — an end kept as it
was passes, so an ended plan can still be edited. Both are VALIDATION with reason PATROL_PLAN_DATES."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError, ErrorCode, ErrorReason
from domain.patrols.rules import check_new_end, check_schedule

TODAY = date(2026, 12, 7)


def refused(fn, *args) -> DomainError:
    with pytest.raises(DomainError) as e:
        fn(*args)
    return e.value


def test_the_last_day_is_not_before_the_first():
    assert check_schedule("daily", (), (), 60, TODAY, TODAY) == ((), ())
    assert check_schedule("daily", (), (), 60, TODAY, None) == ((), ())
    e = refused(check_schedule, "daily", (), (), 60, TODAY, date(2026, 12, 6))
    assert (e.code, e.field, e.reason) == (ErrorCode.VALIDATION, "endsOn", ErrorReason.PATROL_PLAN_DATES)


@pytest.mark.parametrize(("new", "was", "ok"), [
    (None, date(2026, 12, 1), True),  # the end taken away
    (TODAY, None, True),  # ending today
    (date(2026, 12, 6), None, False),  # a new end already past
    (date(2026, 12, 6), date(2026, 12, 8), False),
    (date(2026, 12, 1), date(2026, 12, 1), True),  # an ended plan edited, its end kept
])
def test_a_new_end_is_not_in_the_past(new, was, ok):
    if ok:
        check_new_end(new, was, TODAY)
    else:
        e = refused(check_new_end, new, was, TODAY)
        assert (e.code, e.field, e.reason) == (ErrorCode.VALIDATION, "endsOn", ErrorReason.PATROL_PLAN_DATES)
