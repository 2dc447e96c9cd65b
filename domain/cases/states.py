"""Kinds, channels, severities and states of a case, with Chinese labels first."""

from __future__ import annotations

from enum import StrEnum


class CaseKind(StrEnum):
    REPAIR = "repair"
    COMPLAINT = "complaint"
    INQUIRY = "inquiry"
    REQUEST = "request"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    REPORT = "report"


KIND_LABELS: dict[CaseKind, str] = {
    CaseKind.REPAIR: "报修 Repair", CaseKind.COMPLAINT: "投诉 Complaint", CaseKind.INQUIRY: "咨询 Inquiry",
    CaseKind.REQUEST: "求助 Request", CaseKind.SUGGESTION: "建议 Suggestion", CaseKind.PRAISE: "表扬 Praise",
    CaseKind.REPORT: "举报 Report",
}


class Channel(StrEnum):
    PHONE = "phone"
    WECHAT = "wechat"
    APP = "app"
    FRONT_DESK = "front_desk"
    EMAIL = "email"
    WALK_IN = "walk_in"
    PATROL = "patrol"
    STAFF_RELAY = "staff_relay"
    HQ_HOTLINE = "hq_hotline"
    GOV_12345 = "gov_12345"


class Severity(StrEnum):
    EMERGENCY = "emergency"
    MAJOR = "major"
    GENERAL = "general"


class State(StrEnum):
    RECEIVED = "received"
    COMMITTED = "committed"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CONFIRMED = "confirmed"
    CLOSED = "closed"
    REFERRED = "referred"
    DECLINE_REQUESTED = "decline_requested"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    REOPENED = "reopened"


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


STATE_LABELS: dict[State, str] = {
    State.RECEIVED: "已受理 Received",
    State.COMMITTED: "已承诺 Committed",
    State.DISPATCHED: "已派单 Dispatched",
    State.ACCEPTED: "已接单 Accepted",
    State.IN_PROGRESS: "处理中 In progress",
    State.RESOLVED: "已完工 Resolved",
    State.CONFIRMED: "已确认 Confirmed",
    State.CLOSED: "已关闭 Closed",
    State.REFERRED: "已转办 Referred",
    State.DECLINE_REQUESTED: "婉拒待批 Decline requested",
    State.DECLINED: "已婉拒 Declined",
    State.CANCELLED: "已撤销 Cancelled",
    State.REOPENED: "重新办理 Reopened",
}

FINAL = frozenset({State.CLOSED, State.DECLINED, State.CANCELLED})
# Never overdue (domain/sla/overdue.py): the work is done — resolved, confirmed, closed — or ended,
# or an outside body has it (the referral has its own clock, and taking the case back moves the
# promise on).
NO_OVERDUE = FINAL | {State.RESOLVED, State.CONFIRMED, State.REFERRED}
# Before the work is done: the states a case can be cancelled, declined or referred from.
OPEN_BEFORE_WORK = frozenset({State.RECEIVED, State.COMMITTED, State.DISPATCHED, State.ACCEPTED, State.REOPENED})
# Where the handler is working and the clock may be paused while the resident is awaited.
PAUSABLE = frozenset({State.DISPATCHED, State.ACCEPTED, State.IN_PROGRESS, State.REOPENED})
