"""Which SLA targets a case transition starts, meets, pauses or moves (DESIGN §4). Pure: the
repository next door turns the plan into rows and timers.

- received: the commitment, arrival and resolution clocks start;
- committed: the commitment is met, and the resolution target becomes the promise made;
- a broken promise marks the resolution target broken for good (breached until met, met late
  after) and moves its deadline and timers to the new commitment;
- started (on site): arrival met; resolved: resolution met (and arrival, when an outside body did
  the work);
- confirmed: the return-visit clock starts; closed or rework: it is met;
- reopened or rework: a new round of arrival and resolution;
- waiting on the resident or on an outside body pauses every open clock; resuming (or taking the
  referral back) moves them on;
- cancelled or declined: every open clock stops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.cases.model import Transition


@dataclass(frozen=True)
class Start:
    target: str
    at: datetime
    due: datetime | None = None  # a fixed deadline (the promise); None: from the policy


@dataclass(frozen=True)
class Meet:
    target: str
    at: datetime
    how: str = "met"


@dataclass(frozen=True)
class Break:
    """The promise this target stood for was broken: missed, whatever the next promise says."""

    target: str
    at: datetime


@dataclass(frozen=True)
class MeetAll:
    at: datetime
    how: str


@dataclass(frozen=True)
class Pause:
    at: datetime


@dataclass(frozen=True)
class Resume:
    at: datetime


@dataclass(frozen=True)
class NewRound:
    at: datetime


@dataclass(frozen=True)
class Escalate:
    """At once, not by a timer: nobody to send, a dissatisfied resident, a skip-level complaint."""

    level: str
    reason: str
    at: datetime


Step = Start | Meet | Break | MeetAll | Pause | Resume | NewRound | Escalate
SKIP_LEVEL_CHANNELS = ("hq_hotline", "gov_12345")
LEVELS = {1: "l1", 2: "l2", 3: "l3"}


def heard_by(level: str, reason: str) -> list[str]:
    """Whose recipients an escalation reaches: its level's. A skip-level complaint went over the
    project's head, so its CS supervisors and managers hear of it beside headquarters."""
    if reason == "skip_level":
        return ["l1", "l2", "l3"]
    return [level]


def is_skip_level(channel: str, kind: str) -> bool:
    return channel in SKIP_LEVEL_CHANNELS and kind == "complaint"


def plan(t: Transition, *, channel: str, kind: str) -> list[Step]:
    at, data = t.at, t.data
    match t.topic:
        case "case.received":
            steps: list[Step] = [Start("commit", at), Start("arrive", at), Start("resolve", at)]
            if is_skip_level(channel, kind):
                steps.append(Escalate("l3", "skip_level", at))
            return steps
        case "case.committed":
            return [Meet("commit", at), Start("resolve", at, due=datetime.fromisoformat(data["due"]))]
        case "case.promise_broken":
            return [Break("resolve", at), Start("resolve", at, due=datetime.fromisoformat(data["new_due"]))]
        case "case.started":
            return [Meet("arrive", at)]
        case "case.resolved":
            return [Meet("arrive", at), Meet("resolve", at)]
        case "case.confirmed":
            return [Start("visit", at)]
        case "case.closed":
            return [Meet("visit", at)]
        case "case.rework":
            return [Meet("visit", at), NewRound(at), Escalate(LEVELS[data.get("escalate_to_level", 2)], "dissatisfied", at)]
        case "case.reopened":
            return [NewRound(at)]
        case "case.undispatchable":
            return [Escalate(LEVELS[min(3, max(1, data.get("escalate_to_level", 1)))], "undispatchable", at)]
        case "case.paused" | "case.referred":
            return [Pause(at)]
        case "case.resumed" | "case.referral_withdrawn":
            return [Resume(at)]
        case "case.cancelled":
            return [MeetAll(at, "cancelled")]
        case "case.declined":
            return [MeetAll(at, "declined")]
    return []
