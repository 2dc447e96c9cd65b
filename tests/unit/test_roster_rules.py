"""值班 rules: what a shift may be, and the order in which dispatch proposes people on duty."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import DomainError
from domain.roster.model import OnDuty, check_shift, department_kind_for, propose

NOW = datetime(2026, 11, 22, 12, 40, tzinfo=UTC)


@pytest.mark.parametrize(("start", "hours", "field"), [
    (NOW, 0, "endsAt"), (NOW, -2, "endsAt"), (NOW, 24.5, "endsAt"),
    (NOW - timedelta(hours=10), 8, "endsAt"), (NOW + timedelta(days=400), 8, "startsAt"),
])
def test_impossible_shifts_are_refused(start, hours, field):
    with pytest.raises(DomainError) as refused:
        check_shift(start, start + timedelta(hours=hours), now=NOW)
    assert refused.value.field == field


def test_a_shift_already_running_or_a_whole_day_is_fine():
    check_shift(NOW - timedelta(hours=7), NOW + timedelta(hours=1), now=NOW)
    check_shift(NOW, NOW + timedelta(hours=24), now=NOW)


def test_the_proposal_prefers_the_category_department_then_the_lightest_load_then_time_left():
    def duty(kind: str, load: int, hours_left: int) -> OnDuty:
        return OnDuty(uuid4(), uuid4(), kind, NOW + timedelta(hours=hours_left), load)

    busy_engineer, idle_engineer = duty("engineering", 3, 8), duty("engineering", 0, 1)
    idle_engineer_long = duty("engineering", 0, 7)
    guard = duty("security", 0, 8)
    order = propose([guard, busy_engineer, idle_engineer, idle_engineer_long], department_kind_for("water_power"))
    assert order == [idle_engineer_long, idle_engineer, busy_engineer, guard]
    assert propose([], "engineering") == []


def test_unknown_categories_go_to_customer_service():
    assert department_kind_for("something_new") == "customer_service"
    assert department_kind_for("greening") == "greening"
