"""进度 What a resident sees of their case (an owner app's progress page): the steps they should
know about, in plain Chinese with English beside. Internal steps — a decline put to a
supervisor, a failed dispatch, a repeat link — are not shown; staff notes are shown only where
they are addressed to the resident (why we wait on them, the result, an apology). Pure: the
caller passes the audit entries and the names it may show."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.sla.calendar import CHINA
from domain.wording import clause, items, sentence


@dataclass(frozen=True)
class Entry:
    at: datetime
    action: str
    note: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Step:
    at: datetime
    stage: str
    title: str
    message: str


def _time(value: str | None) -> str:
    if not value:
        return ""
    return f"{datetime.fromisoformat(value).astimezone(CHINA):%m月%d日 %H:%M}"


def _reply(e: Entry) -> str:
    return f"{sentence(e.data.get('reason'))}您可以选择：{items(e.data.get('alternatives') or [])}。"


def _who(data: Mapping[str, Any], names: Mapping[UUID, str]) -> str:
    for key in ("assignee_id", "department_id"):
        if data.get(key) and UUID(data[key]) in names:
            return names[UUID(data[key])]
    return "工作人员"


Describe = Callable[[Entry, Mapping[UUID, str]], tuple[str, str]]

_STEPS: dict[str, Describe] = {
    "case.received": lambda e, n: ("已受理 Received", "您的诉求已登记，我们会尽快为您处理。"),
    "case.committed": lambda e, n: ("已承诺 Committed", f"我们承诺在 {_time(e.data.get('due'))} 前为您处理。"),
    "case.dispatched": lambda e, n: ("已派单 Dispatched", f"已安排{_who(e.data, n)}为您处理。"),
    "case.accepted": lambda e, n: ("已接单 Accepted", "工作人员已接单，正在前往。"),
    "case.started": lambda e, n: ("处理中 On site", "工作人员已到场处理。"),
    "case.paused": lambda e, n: ("等待您的配合 Waiting on you", f"需要您的配合：{clause(e.note)}。处理时限在等待期间暂停。"),
    "case.resumed": lambda e, n: ("继续处理 Resumed", "已恢复处理，承诺时间相应顺延。"),
    "case.promise_broken": lambda e, n: (
        "致歉 Apology",
        f"{sentence(e.data.get('apology'))}原因：{clause(e.data.get('reason'))}。补救措施：{clause(e.data.get('remedy'))}。"
        f"新的承诺时间：{_time(e.data.get('new_due'))}。"),
    "case.resolved": lambda e, n: (
        "已处理 Resolved",
        ("相关部门已答复：" if e.data.get("by_referral") else "处理结果：") + f"{clause(e.note)}。请确认是否满意解决。"),
    "case.confirmed": lambda e, n: (
        "已确认 Confirmed",
        "您未在规定时间内反馈，系统已自动确认。" if e.data.get("automatic") else "您已确认处理结果。"),
    "case.reopened": lambda e, n: ("重新处理 Reopened", "您反馈问题未解决，我们将重新安排处理。"),
    "case.rework": lambda e, n: ("重新处理 Reopened", "感谢您的回访评价，我们将重新安排处理，并由上级跟进。"),
    "case.closed": lambda e, n: ("已回访结案 Closed", "回访已完成，感谢您的评价。"),
    "case.declined": lambda e, n: ("书面答复 Written reply", _reply(e)),
    "case.reply_revised": lambda e, n: ("书面答复已更新 Reply revised", _reply(e)),
    "case.cancelled": lambda e, n: (
        "已撤销 Cancelled", "您已撤回此诉求。" if e.data.get("by_resident") else f"此工单已撤销，原因：{clause(e.note)}。"),
    "case.referred": lambda e, n: (
        "已转交 Referred", f"此事项需由{e.data.get('body')}处理，我们已转交并将跟进，结果会告知您。"),
    "case.referral_acknowledged": lambda e, n: ("已签收 Acknowledged", f"{e.data.get('body')}已签收转办事项，正在办理。"),
    "case.referral_withdrawn": lambda e, n: ("继续处理 Back with us", "此事项已由我们收回继续处理，处理时限相应顺延。"),
}


def progress(entries: list[Entry], names: Mapping[UUID, str]) -> list[Step]:
    """The resident's steps, oldest first. `names`: handlers and departments they may see."""
    steps = []
    for e in entries:
        describe = _STEPS.get(e.action)
        if describe is not None:
            title, message = describe(e, names)
            steps.append(Step(at=e.at, stage=e.action.removeprefix("case."), title=title, message=message))
    return steps


def named_ids(entries: list[Entry]) -> set[UUID]:
    """The people and departments the resident's steps may name."""
    return {UUID(e.data[k]) for e in entries if e.action == "case.dispatched"
            for k in ("assignee_id", "department_id") if e.data.get(k)}
