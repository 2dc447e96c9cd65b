"""A case's SLA record computed in memory: the rows `SlaRecorder` (targets, timers, immediate
escalations) and the scanner's `sla_fire_due` (timer escalations) would have written for the
same transitions, with the scanner firing each timer when it falls due. For history written in
bulk (the demo's months of cases), where going through the database step by step would take
hours. Pure: callers pass the policy, the ladder, the calendar and `now`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.cases.model import Transition
from domain.sla.calendar import Calendar, Clock, ClockKind
from domain.sla.policy import Ladder, Policy
from domain.sla.repository import PAUSED
from domain.sla.targets import Break, Escalate, Meet, MeetAll, NewRound, Pause, Resume, Start, Step, plan


@dataclass
class TargetRow:
    target: str
    round: int
    clock: str
    started_at: datetime
    budget_minutes: float
    due_at: datetime
    paused_minutes: float = 0.0
    paused_at: datetime | None = None
    met_at: datetime | None = None
    closed_by: str | None = None
    broken_at: datetime | None = None


@dataclass
class TimerRow:
    target: str
    round: int
    level: str
    due_at: datetime
    fired_at: datetime | None = None


@dataclass(frozen=True)
class EscalationRow:
    level: str
    reason: str
    fired_at: datetime
    target: str | None = None
    round: int | None = None
    due_at: datetime | None = None
    assignee_id: UUID | None = None  # who had the case when it fired: the reminder's recipient


@dataclass
class SlaReplay:
    policy: Policy
    ladder: Ladder = field(default_factory=Ladder)
    calendar: Calendar = field(default_factory=Calendar)  # the project's working hours and the company's own days
    targets: dict[tuple[str, int], TargetRow] = field(default_factory=dict)
    timers: dict[tuple[str, int, str], TimerRow] = field(default_factory=dict)
    escalations: list[EscalationRow] = field(default_factory=list)
    round: int = 0
    _assignee: UUID | None = None

    def run(self, transitions: list[Transition], *, channel: str, kind: str, now: datetime) -> SlaReplay:
        for t in transitions:
            self._fire_until(t.at)
            for step in plan(t, channel=channel, kind=kind):
                self._apply(step)
            self._follow_assignee(t)
        self._fire_until(now)
        return self

    def _follow_assignee(self, t: Transition) -> None:
        if t.topic == "case.dispatched":
            self._assignee = UUID(t.data["assignee_id"]) if t.data.get("assignee_id") else None
        elif t.topic == "case.accepted":
            self._assignee = t.actor_id

    def _fire_until(self, until: datetime) -> None:
        """The scanner, on time: every timer due by `until`, in the order they fall due."""
        due = sorted((t for t in self.timers.values() if t.fired_at is None and t.due_at <= until), key=lambda t: t.due_at)
        for timer in due:
            timer.fired_at = timer.due_at
            self.escalations.append(EscalationRow(timer.level, "timer", timer.due_at, timer.target, timer.round, timer.due_at,
                                                  self._assignee))

    def _clock(self, kind: str | ClockKind) -> Clock:
        return Clock(ClockKind(kind), self.calendar)

    def _apply(self, step: Step) -> None:
        match step:
            case Start():
                self._start(step, self.round)
            case Meet(target=target, at=at, how=how):
                row = self.targets.get((target, self.round))
                if row is not None and row.met_at is None:
                    row.met_at, row.closed_by, row.paused_at = at, how, None
                self._drop_timers(target, self.round)
            case Break(target=target, at=at):  # the first broken promise counts; a met target keeps its record
                row = self.targets.get((target, self.round))
                if row is not None and row.met_at is None and row.broken_at is None:
                    row.broken_at = at
            case MeetAll(at=at, how=how):
                self._meet_all(at, how)
            case NewRound(at=at):
                self._meet_all(at, "superseded")
                self.round += 1
                for target in ("arrive", "resolve"):
                    self._start(Start(target, at), self.round)
            case Pause(at=at):
                for row in self.targets.values():
                    if row.met_at is None and row.paused_at is None:
                        row.paused_at = at
                for timer in self.timers.values():
                    if timer.fired_at is None:
                        timer.due_at = PAUSED
            case Resume(at=at):
                for row in self.targets.values():
                    if row.met_at is None and row.paused_at is not None:
                        clock = self._clock(row.clock)
                        row.paused_minutes += clock.elapsed(row.paused_at, at)
                        row.paused_at, row.due_at = None, clock.add(row.started_at, row.budget_minutes + row.paused_minutes).at
                        self._set_timers(row)
            case Escalate(level=level, reason=reason, at=at):
                self.escalations.append(EscalationRow(level, reason, at, assignee_id=self._assignee))

    def _start(self, step: Start, round_: int) -> None:
        existing = self.targets.get((step.target, round_))
        if existing is not None and existing.met_at is not None:
            return
        start = existing.started_at if existing is not None else step.at
        paused = existing.paused_minutes if existing is not None else 0.0
        if step.due is not None:  # a promise to the resident is wall-clock time
            clock, budget = self._clock(ClockKind.ALWAYS), max((step.due - start).total_seconds() / 60, 0.0)
        else:
            clock, budget = self._clock(self.policy.clock), float(self.policy.minutes(step.target))
        row = existing or TargetRow(step.target, round_, clock.kind.value, start, budget, start)
        row.clock, row.budget_minutes = clock.kind.value, budget
        row.due_at = clock.add(start, budget + paused).at
        self.targets[(step.target, round_)] = row
        self._set_timers(row)

    def _set_timers(self, row: TargetRow) -> None:
        self._drop_timers(row.target, row.round)
        clock = self._clock(row.clock)
        for level, pct in self.ladder.levels():
            key = (row.target, row.round, level)
            if key not in self.timers:  # a fired level keeps its row: exactly once
                due = PAUSED if row.paused_at is not None else \
                    clock.add(row.started_at, row.budget_minutes * pct / 100 + row.paused_minutes).at
                self.timers[key] = TimerRow(row.target, row.round, level, due)

    def _drop_timers(self, target: str, round_: int) -> None:
        for key in [k for k, t in self.timers.items() if k[:2] == (target, round_) and t.fired_at is None]:
            del self.timers[key]

    def _meet_all(self, at: datetime, how: str) -> None:
        for row in self.targets.values():
            if row.met_at is None:
                row.met_at, row.closed_by, row.paused_at = at, how, None
        for key in [k for k, t in self.timers.items() if t.fired_at is None]:
            del self.timers[key]
