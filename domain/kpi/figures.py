"""The figures of docs/kpis.md from a bucket's counts. Pure; a rate with nothing to measure is
None — never 0, never 100%."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Figures:
    received: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    first_contact_rate: float | None
    return_visit_rate: float | None
    on_time_rate: float | None
    average_handling_hours: float | None
    complaints_per_1000: float | None
    broken_promises: int
    escalations: int
    # 收缴率 Σ collected / Σ due of the month's bills (docs/resident-services.md §6.7); None where
    # nothing was billed, and wherever the counts carry no fees (the drill-downs, the series).
    collection_rate: float | None = None
    # 话务 Inbound calls of the month (docs/centre-day.md §8): offered, answered, answered within
    # three rings; 接通率 answered / offered, 三声接听率 within three rings / answered. 0 and None
    # wherever the counts carry no calls.
    calls: int = 0
    calls_answered: int = 0
    calls_within_three_rings: int = 0
    answer_rate: float | None = None
    three_ring_rate: float | None = None

    @classmethod
    def of(cls, c: Mapping[str, int], households: int | None) -> Figures:
        return cls(
            received=c["received"],
            response_rate=_rate(c["commit_on_time"], c["commit_due"]),
            resolution_rate=_rate(c["resolved"], c["in_scope"]),
            satisfaction_rate=_rate(c["satisfied"] + c["basically_satisfied"], c["visited"]),
            first_contact_rate=_rate(c["first_time"], c["finished"]),
            return_visit_rate=_rate(c["visited"], c["finished"]),
            on_time_rate=_rate(c["resolved_on_time"], c["resolved"]),
            average_handling_hours=c["handling_seconds"] / c["resolved"] / 3600 if c["resolved"] else None,
            complaints_per_1000=c["complaints"] / households * 1000 if households else None,
            broken_promises=c["broken_promises"],
            escalations=c["escalations_l1"] + c["escalations_l2"] + c["escalations_l3"],
            collection_rate=_rate(c.get("fee_collected_fen", 0), c.get("fee_due_fen", 0)),
            calls=c.get("call_offered", 0),
            calls_answered=c.get("call_answered", 0),
            calls_within_three_rings=c.get("call_answered_3_rings", 0),
            answer_rate=_rate(c.get("call_answered", 0), c.get("call_offered", 0)),
            three_ring_rate=_rate(c.get("call_answered_3_rings", 0), c.get("call_answered", 0)),
        )


def total(buckets: Sequence[Mapping[str, int]]) -> dict[str, int]:
    keys = buckets[0].keys() if buckets else ()
    return {k: sum(b[k] for b in buckets) for k in keys}
