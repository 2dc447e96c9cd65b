"""The three rates the government scores 12345 orders by (响应率, 解决率, 满意率), from counts the
repository takes over one month's orders. Pure arithmetic; a rate whose denominator is zero is
None — "nothing to judge yet", not 0 % and not 100 %.

- response = responded on time (first answer ≤ response_due) / orders whose response is due or given;
- resolution = results on time (answered_at ≤ resolve_due) / orders not returned whose deadline
  passed or that have their result;
- satisfaction = (satisfied + basically satisfied) / evaluated."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class RateCounts:
    received: int = 0
    response_due: int = 0  # response due by now, or already given
    responded_on_time: int = 0
    resolve_due: int = 0  # not returned, and deadline passed or result given
    resolved_on_time: int = 0
    evaluated: int = 0
    satisfied: int = 0  # satisfied or basically satisfied
    returned: int = 0

    def __add__(self, other: RateCounts) -> RateCounts:
        return RateCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


def ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class Rates:
    counts: RateCounts
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None

    @classmethod
    def of(cls, c: RateCounts) -> Rates:
        return cls(c, ratio(c.responded_on_time, c.response_due), ratio(c.resolved_on_time, c.resolve_due),
                   ratio(c.satisfied, c.evaluated))
