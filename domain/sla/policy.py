"""The SLA policy matrix (DESIGN §4): case kind × severity → targets for commitment, arrival,
resolution and the return visit, on a clock. Every new company starts from these defaults and
edits its own copy; a project may override any cell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.cases.states import CaseKind, Severity
from domain.errors import invalid
from domain.sla.calendar import Calendar, Clock, ClockKind

TARGETS = ("commit", "arrive", "resolve", "visit")
MAX_MINUTES = 525_600  # a year

# Industry defaults: emergencies answered in minutes and fixed within two hours, a general
# request answered within 30 minutes and resolved the next day; return visit within 48 hours.
DEFAULTS: dict[Severity, tuple[int, int, int, int]] = {
    Severity.EMERGENCY: (5, 30, 120, 2880),
    Severity.MAJOR: (15, 60, 360, 2880),
    Severity.GENERAL: (30, 120, 1440, 2880),
}


@dataclass(frozen=True)
class Policy:
    clock: ClockKind
    commit: int
    arrive: int
    resolve: int
    visit: int

    def minutes(self, target: str) -> int:
        value: int = getattr(self, target)
        return value

    def deadline(self, start: datetime, target: str = "resolve", calendar: Calendar | None = None) -> datetime:
        """When this policy wants `target` met, counted from `start` on its clock and the project's calendar."""
        return Clock(self.clock, calendar or Calendar()).add(start, float(self.minutes(target))).at


@dataclass(frozen=True)
class Ladder:
    """Percentages of a target at which the reminder and each level fire."""

    remind: int = 80
    l1: int = 100
    l2: int = 150
    l3: int = 200

    def levels(self) -> tuple[tuple[str, int], ...]:
        return (("remind", self.remind), ("l1", self.l1), ("l2", self.l2), ("l3", self.l3))


def check_policy(p: Policy) -> Policy:
    for target in TARGETS:
        if not 1 <= p.minutes(target) <= MAX_MINUTES:
            raise invalid(f"时限「{target}Minutes」须在 1 到 {MAX_MINUTES:,} 分钟（一年）之间。"
                          f"{target}Minutes must be between 1 and {MAX_MINUTES:,} (a year).", f"{target}Minutes")
    if not p.commit <= p.arrive <= p.resolve:
        raise invalid("时限须按流程递增：承诺 ≤ 到场 ≤ 完工。Targets must follow the work: commit ≤ arrive ≤ resolve.", "arriveMinutes")
    if p.clock is ClockKind.WORKING_DAYS and any(p.minutes(t) % 1440 for t in TARGETS):
        raise invalid("按工作日计时只计整天：每个时限须为 1440 分钟的整数倍。"
                      "A working-days clock counts whole days: give every target in multiples of 1,440 minutes.", "clock")
    return p


def check_ladder(ladder: Ladder) -> Ladder:
    if not 0 < ladder.remind < ladder.l1 < ladder.l2 < ladder.l3 <= 1000:
        raise invalid("升级梯度须递增：0 < 提醒 < L1 < L2 < L3 ≤ 1000（时限的百分比）。"
                      "The ladder must climb: 0 < reminder < L1 < L2 < L3 ≤ 1000 (percent of the target).", "l1Percent")
    return ladder


def default_rows() -> list[tuple[str, str, int, int, int, int]]:
    return [(k.value, s.value, *DEFAULTS[s]) for k in CaseKind for s in Severity]
