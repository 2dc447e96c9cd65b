"""A target's state as people read it: a broken promise is missed for good, and a clock that
stopped waiting is judged at the moment it stopped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.sla.status import SlaState, state

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DUE = T0 + timedelta(hours=24)


def at(now: datetime, **over) -> SlaState:
    return state(**{"started_at": T0, "due_at": DUE, "met_at": None, "closed_by": None, "paused_at": None,
                    "now": now, **over})


def test_a_broken_promise_reads_breached_then_met_late_however_soon_the_new_one_is_kept():
    broken = T0 + timedelta(hours=2)
    assert at(T0 + timedelta(hours=3), broken_at=broken) is SlaState.BREACHED
    assert at(T0 + timedelta(hours=30), broken_at=broken, met_at=T0 + timedelta(hours=4)) is SlaState.MET_LATE
    assert at(T0 + timedelta(hours=30), met_at=T0 + timedelta(hours=4)) is SlaState.MET


def test_a_clock_waiting_on_the_resident_is_judged_when_it_stopped():
    assert at(DUE + timedelta(hours=5), paused_at=T0 + timedelta(hours=10)) is SlaState.WAITING
    assert at(DUE + timedelta(hours=5), paused_at=DUE + timedelta(hours=1)) is SlaState.BREACHED
