"""Collection rules (docs/resident-services.md §6.3, §6.5): a payment spread oldest first or over
named bills, credit left over, refusals of named allocations, ageing buckets at their edges."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import DomainError
from domain.fees.rules import OpenBill, allocate, allocate_arrived, bucket


def _bills():
    return [OpenBill(uuid4(), date(2026, 3, 15), date(2026, 3, 1), "WYF", 10000),
            OpenBill(uuid4(), date(2026, 1, 15), date(2026, 1, 1), "WYF", 10000),
            OpenBill(uuid4(), date(2026, 1, 15), date(2026, 1, 1), "CWF", 3000)]


def test_oldest_first_by_due_date_period_then_item_code():
    march, jan_wyf, jan_cwf = _bills()
    assert allocate(15000, [march, jan_wyf, jan_cwf], None) == [(jan_cwf.id, 3000), (jan_wyf.id, 10000), (march.id, 2000)]
    # More than owed: all bills paid, the rest is the caller's credit (amount − shares).
    shares = allocate(30000, [march, jan_wyf, jan_cwf], None)
    assert sum(a for _, a in shares) == 23000


def test_named_allocations_are_taken_as_given():
    march, jan_wyf, _ = _bills()
    assert allocate(12000, _bills(), None)[0][1] == 3000
    assert allocate(5000, [march, jan_wyf], [(march.id, 5000)]) == [(march.id, 5000)]


@pytest.mark.parametrize("named", ["other", "above", "zero", "twice", "sum"])
def test_named_allocations_refused(named):
    march, jan_wyf, _ = _bills()
    shares = {"other": [(uuid4(), 100)], "above": [(march.id, 10001)], "zero": [(march.id, 0)],
              "twice": [(march.id, 100), (march.id, 100)], "sum": [(march.id, 6000), (jan_wyf.id, 6000)]}[named]
    with pytest.raises(DomainError) as e:
        allocate(10000, [march, jan_wyf], shares)
    assert e.value.field == "allocations"


def test_ageing_buckets_at_their_edges():
    assert [bucket(d) for d in (1, 30, 31, 90, 91, 180, 181, 365, 366)] == [
        "d30", "d30", "d90", "d90", "d180", "d180", "d365", "d365", "over365"]


def test_arrived_money_is_never_refused_a_closed_named_bill_sends_it_oldest_first():
    march, jan_wyf, jan_cwf = _bills()
    # As named, then nothing short.
    assert allocate_arrived(5000, [march, jan_wyf, jan_cwf], [(march.id, 5000)]) == ([(march.id, 5000)], False)
    # A named bill paid meanwhile (not open any more): its share goes oldest first, and it is said short.
    closed = uuid4()
    assert allocate_arrived(5000, [march, jan_wyf, jan_cwf], [(closed, 5000)]) == ([(jan_cwf.id, 3000), (jan_wyf.id, 2000)], True)
    # A named amount above what the bill owes by now: the bill takes what it owes, the rest oldest first.
    shares, short = allocate_arrived(12000, [march, jan_wyf, jan_cwf], [(jan_cwf.id, 4000), (march.id, 8000)])
    assert (shares, short) == ([(jan_cwf.id, 3000), (march.id, 8000), (jan_wyf.id, 1000)], True)
    # More than everything owed: all paid, the rest is credit (amount − shares); one share per bill.
    shares, short = allocate_arrived(30000, [march, jan_wyf, jan_cwf], [(march.id, 4000)])
    assert sum(a for _, a in shares) == 23000 and not short and len({b for b, _ in shares}) == 3
    assert dict(shares)[march.id] == 10000
