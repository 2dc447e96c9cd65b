"""A target's state as people read it: on track, at risk (past the reminder), breached, met
(in time or late), waiting (paused), or stopped (cancelled, declined, superseded by rework)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    WAITING = "waiting"
    MET = "met"
    MET_LATE = "met_late"
    STOPPED = "stopped"


LABELS = {
    SlaState.ON_TRACK: "正常 On track", SlaState.AT_RISK: "临期 At risk", SlaState.BREACHED: "超时 Breached",
    SlaState.WAITING: "暂停计时 Waiting", SlaState.MET: "按时完成 Met", SlaState.MET_LATE: "超时完成 Met late",
    SlaState.STOPPED: "已终止 Stopped",
}
TARGET_LABELS = {"commit": "响应承诺 Commitment", "arrive": "到场 Arrival", "resolve": "处理完成 Resolution",
                 "visit": "回访 Return visit"}
# Worst first: what a list shows for a case with several targets.
SEVERITY_ORDER = (SlaState.BREACHED, SlaState.AT_RISK, SlaState.ON_TRACK, SlaState.WAITING, SlaState.MET_LATE,
                  SlaState.MET, SlaState.STOPPED)


def state(*, started_at: datetime, due_at: datetime, met_at: datetime | None, closed_by: str | None,
          paused_at: datetime | None, now: datetime, remind_pct: int = 80, broken_at: datetime | None = None) -> SlaState:
    """A broken promise (`broken_at`) is missed for good: breached until met, met late after. A
    clock waiting on someone is judged at the moment it stopped — its deadline moves on resuming."""
    if closed_by not in (None, "met"):
        return SlaState.STOPPED
    if met_at is not None:
        return SlaState.MET if met_at <= due_at and broken_at is None else SlaState.MET_LATE
    if broken_at is not None or (paused_at or now) > due_at:
        return SlaState.BREACHED
    if paused_at is not None:
        return SlaState.WAITING
    span = (due_at - started_at).total_seconds()
    if span <= 0 or (now - started_at).total_seconds() >= span * remind_pct / 100:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def worst(states: list[SlaState]) -> SlaState | None:
    return min(states, key=SEVERITY_ORDER.index) if states else None
