"""Pure rules of collection (docs/resident-services.md §6.3, §6.5): how a payment is spread over
a flat's open bills, and which ageing bucket an overdue bill falls in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.errors import invalid

# Days past due → bucket: ≤ 30, 31–90, 91–180, 181–365, > 365.
BUCKETS = (("d30", 30, "一个月内"), ("d90", 90, "一至三个月"), ("d180", 180, "三至六个月"), ("d365", 365, "六个月至一年"),
           ("over365", None, "一年以上"))


@dataclass(frozen=True, slots=True)
class OpenBill:
    id: UUID
    due_on: date
    period: date
    item_code: str
    outstanding: int


def oldest_first(bills: Sequence[OpenBill]) -> list[OpenBill]:
    return sorted(bills, key=lambda b: (b.due_on, b.period, b.item_code, b.id))


def allocate(amount: int, bills: Sequence[OpenBill], named: Sequence[tuple[UUID, int]] | None) -> list[tuple[UUID, int]]:
    """The payment's shares: the named bills with the named amounts (each at most what the bill
    owes, the lot at most the payment), else oldest first until the money runs out. What is left
    is credit."""
    if named:
        by_id = {b.id: b for b in bills}
        seen: set[UUID] = set()
        for bill_id, share in named:
            bill = by_id.get(bill_id)
            if bill is None or bill_id in seen:
                raise invalid("所选账单不是本户的未缴账单。allocations name a bill that is not an open bill of this flat.",
                              "allocations")
            seen.add(bill_id)
            if not 0 < share <= bill.outstanding:
                raise invalid(f"分配金额应大于 0 且不超过欠费 {bill.outstanding} 分。An allocation must be above zero and at "
                              f"most the {bill.outstanding} fen outstanding.", "allocations")
        if sum(a for _, a in named) > amount:
            raise invalid("分配合计超过收款金额。allocations add up to more than the payment.", "allocations")
        return list(named)
    shares: list[tuple[UUID, int]] = []
    left = amount
    for bill in oldest_first(bills):
        if left == 0:
            break
        share = min(left, bill.outstanding)
        if share > 0:
            shares.append((bill.id, share))
            left -= share
    return shares


def bucket(days_overdue: int) -> str:
    """The ageing bucket of a bill `days_overdue` (≥ 1) days past due."""
    for name, upto, _ in BUCKETS:
        if upto is None or days_overdue <= upto:
            return name
    raise AssertionError("unreachable")


def allocate_arrived(amount: int, bills: Sequence[OpenBill],
                     named: Sequence[tuple[UUID, int]]) -> tuple[list[tuple[UUID, int]], bool]:
    """Money that has already arrived (an integrator's payment, §6.4) is never refused for what
    happened meanwhile: each named bill takes what was named, up to what it still owes (one paid
    at the desk meanwhile takes nothing); what is left goes oldest first to the flat's open bills;
    the rest is credit. Answers the shares (one per bill) and whether a named bill fell short."""
    owes = {b.id: b.outstanding for b in bills}
    taken: dict[UUID, int] = {}
    left, short = amount, False

    def take(bill_id: UUID, wanted: int) -> int:
        nonlocal left
        share = min(wanted, owes.get(bill_id, 0), left)
        if share > 0:
            taken[bill_id] = taken.get(bill_id, 0) + share
            owes[bill_id] -= share
            left -= share
        return max(share, 0)

    for bill_id, wanted in named:
        short |= take(bill_id, wanted) < wanted
    for bill in oldest_first(bills):
        if left == 0:
            break
        take(bill.id, left)
    return list(taken.items()), short
