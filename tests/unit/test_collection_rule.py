"""收费率下滑 on hand-computed month-end rates (docs/resident-services.md §6.7)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.alerts.collection import judgeable
from domain.alerts.rules import AlertSettings
from domain.alerts.window_rules import collection
from domain.errors import DomainError
from domain.sla.calendar import CHINA

MONTH = date(2026, 10, 1)
S = AlertSettings(collection_min_bills=20)


def judged(due: int, by_close: int, last_due: int = 0, last_by_close: int = 0, bills: int = 20, last_bills: int = 20,
           s: AlertSettings = S):
    return collection("p", "花园", MONTH, bills, due, by_close, last_bills, last_due, last_by_close, s)


def test_under_target_is_yellow_a_fall_orange_twice_the_fall_red():
    assert judged(10000, 9000) is None, "90% is the target, not under it"
    a = judged(10000, 8999)
    assert (a.rule, a.colour, a.scope_key) == ("collection", "yellow", "project:p:2026-10")
    assert "实收 89.99 / 应收 100.00 元" in a.detail and a.case_ids == ()
    # 99% → 94%: five points down, above the target → orange; 99% → 89% → red (and under target).
    assert judged(10000, 9400, 10000, 9900).colour == "orange"
    assert judged(10000, 9450, 10000, 9900) is None, "four and a half points is no fall"
    assert judged(10000, 8900, 10000, 9900).colour == "red"
    # 95% → 85% is ten points at nine decimals, though 0.95 − 0.85 is 0.0999… in binary.
    assert judged(100, 85, 100, 95).colour == "red"


def test_few_bills_give_no_verdict_and_last_month_needs_as_many():
    assert judged(10000, 1000, bills=19) is None
    assert judged(10000, 9400, 10000, 9900, last_bills=19) is None, "no comparison with a month of few bills"
    assert judged(0, 0) is None


def test_a_month_closes_at_two_in_the_morning_of_the_first():
    # [since, before): at 01:59 on 1 December November is still open; at 02:00 it is judged.
    assert judgeable(datetime(2026, 12, 1, 1, 59, tzinfo=CHINA)) == (date(2026, 8, 1), date(2026, 11, 1))
    assert judgeable(datetime(2026, 12, 1, 2, 0, tzinfo=CHINA)) == (date(2026, 9, 1), date(2026, 12, 1))


def test_the_settings_are_checked():
    for bad, field in ((AlertSettings(collection_target=0), "collectionTarget"), (AlertSettings(collection_drop=1.5), "collectionDrop"),
                       (AlertSettings(collection_min_bills=0), "collectionMinBills")):
        with pytest.raises(DomainError) as e:
            bad.check()
        assert e.value.field == field
