"""工作时间: a project's working hours close after they open (the SLA clocks count between)."""

from __future__ import annotations

from datetime import time

import pytest

from domain.errors import DomainError, ErrorCode
from domain.projects.model import WorkingHours


def test_hours_that_close_after_they_open_are_kept():
    hours = WorkingHours(time(9, 0), time(18, 0))
    assert (hours.opens, hours.closes) == (time(9, 0), time(18, 0))
    assert WorkingHours(time(0, 0), time(0, 1)).closes == time(0, 1)  # one minute is enough


@pytest.mark.parametrize("opens, closes", [(time(18, 0), time(9, 0)), (time(9, 0), time(9, 0))])
def test_hours_that_close_before_or_when_they_open_are_refused_on_closes(opens, closes):
    with pytest.raises(DomainError) as e:
        WorkingHours(opens, closes)
    assert (e.value.code, e.value.field, e.value.message) == (
        ErrorCode.VALIDATION, "closes", "下班时间须晚于上班时间。Working hours must close after they open.")
