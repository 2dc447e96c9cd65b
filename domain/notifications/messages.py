"""What a notification says, by event: escalations for staff, the resident's progress in the
words of domain/cases/progress.py, and a company's missing holiday calendar. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.cases.progress import Entry, progress
from domain.fees.payment_messages import PAYMENT_TOPICS, payment_message
from domain.fees.reminder_messages import FEE_TOPICS
from domain.notices.messages import NOTICE_TOPICS
from domain.surveys.invitations import SURVEY_TOPICS
from domain.wording import sentence

LEVELS = {"remind": "提醒", "l1": "一级升级 L1", "l2": "二级升级 L2", "l3": "三级升级 L3"}
LEVEL_ORDER = ("remind", "l1", "l2", "l3")
REASONS = {"timer": "已到时限", "undispatchable": "无法派单", "dissatisfied": "回访不满意", "skip_level": "越级投诉",
           "referral_overdue": "转办逾期未复"}
TARGETS = {"commit": "响应承诺", "arrive": "到场", "resolve": "处理完成", "visit": "回访"}
# The resident's side: the steps an owner app or the resident's own channel is told of.
PROGRESS_TOPICS = frozenset({
    "case.received", "case.committed", "case.dispatched", "case.accepted", "case.started", "case.paused", "case.resumed",
    "case.promise_broken", "case.resolved", "case.confirmed", "case.reopened", "case.rework", "case.closed",
    "case.declined", "case.cancelled", "case.referred", "case.referral_withdrawn",
})
STAFF_TOPICS = frozenset({"case.escalated", "calendar.missing", "alert.raised"})
# Work with outside bodies (转办), 12345 orders and decision feedback: the payload's `summary` is
# the sentence a person reads.
OUTSIDE_TITLES = {
    "referral.sent": "转办已发出", "referral.acknowledged": "外部单位已签收", "referral.answered": "外部单位已答复",
    "referral.reminded": "转办催办", "gov_order.received": "12345工单已接收", "gov_order.answered": "12345已回复",
    "gov_order.evaluated": "12345评价", "decision_feedback.reported": "决策反馈已上报",
    "decision_feedback.advanced": "决策反馈进展",
}
OUTSIDE_TOPICS = frozenset(OUTSIDE_TITLES)
# An integrator holding a copy of a resident (an owner app, a CRM) must erase it too (PIPL).
ARCHIVE_TOPICS = frozenset({"resident.erased"})
# Notices to residents (docs/resident-services.md §5.3): worded from the notice itself at planning
# time (domain/notices/messages.py), and only to the channels the notice names.
# Reminder batches (§6.6) go to their schedule's bridges; survey invitations (§7.2) to every bridge
# subscribed. Money (payments recorded, refunded, reversed, overpaid and cleared) to any channel.
DELIVERABLE = (PROGRESS_TOPICS | STAFF_TOPICS | OUTSIDE_TOPICS | ARCHIVE_TOPICS | NOTICE_TOPICS | FEE_TOPICS | SURVEY_TOPICS
               | PAYMENT_TOPICS)


def escalation(number: str, description: str, payload: dict[str, Any]) -> tuple[str, str]:
    level = LEVELS.get(payload.get("level") or "", payload.get("level"))
    reason = REASONS.get(payload.get("reason") or "", payload.get("reason"))
    target = TARGETS.get(payload.get("target") or "", "")
    return f"{level}：工单 {number}", f"{reason}{'（' + target + '）' if target else ''}。{sentence(description[:200])}"


def escalation_level(title: str) -> str | None:
    """The level an escalation notification's title (written by `escalation`) names."""
    return next((k for k, label in LEVELS.items() if title.startswith(f"{label}：")), None)


def skip_level_repeat(number: str, earlier_number: str, description: str) -> tuple[str, str]:
    """To the first receiver of a case whose demand came back over the project's head."""
    return f"越级重复投诉：工单 {number}", f"您首问的工单 {earlier_number} 的诉求又越级反映到了总部。{description[:200]}"


def render(topic: str, payload: dict[str, Any], *, number: str | None, description: str | None,
           names: dict[UUID, str] | None = None) -> tuple[str, str] | None:
    """(title, body), or None when this event says nothing to anyone outside."""
    if topic == "case.escalated":
        return escalation(number or "", description or "", payload)
    if topic == "alert.raised":
        colour = {"yellow": "黄色", "orange": "橙色", "red": "红色"}.get(payload.get("colour") or "", "")
        return f"【{colour}预警】{payload.get('title')}", str(payload.get("detail", ""))
    if topic == "calendar.missing":
        return f"请录入{payload.get('year')}年节假日", str(payload.get("message", ""))
    if topic == "resident.erased":
        return "住户个人信息已删除", (f"住户 {payload.get('resident_id')} 的个人信息已按本人要求删除，请同步删除贵方保存的副本。"
                                     "A resident's personal data was erased on request; erase your copy too.")
    if topic in PAYMENT_TOPICS:
        return payment_message(topic, payload)
    if topic in OUTSIDE_TOPICS:
        title = OUTSIDE_TITLES[topic]
        return (f"{title}：工单 {number}" if number else title), str(payload.get("summary") or "")
    if topic in PROGRESS_TOPICS:
        entry = Entry(datetime.fromisoformat(payload["at"]), topic, payload.get("note"), payload)
        steps = progress([entry], names or {})
        if not steps:
            return None
        return f"{steps[0].title}：工单 {number}", steps[0].message
    return None


def reaches(min_level: str | None, payload: dict[str, Any]) -> bool:
    """A channel set to L2 hears of L2 and L3 escalations only."""
    if min_level is None or payload.get("level") not in LEVEL_ORDER:
        return True
    return LEVEL_ORDER.index(payload["level"]) >= LEVEL_ORDER.index(min_level)
