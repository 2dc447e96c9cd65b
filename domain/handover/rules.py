"""交接班 The shift log's rules that need no database: the lengths, the shift's span, the labels,
and when a carried item is flagged."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from domain.errors import DomainError, ErrorCode, ErrorReason, forbidden, invalid

MAX_SHIFT = timedelta(hours=24)
MAX_TEXT = 2000
MAX_SUMMARY = 5000
# An item handed over this many times is stuck: the morning briefing flags it.
FLAG_AFTER_CARRIES = 3

KIND_LABELS = {"note": "记事 Note", "open_item": "遗留事项 Open item"}
STATE_LABELS = {"open": "值班中 Open", "handed_over": "已交班 Handed over"}


def check_span(start: datetime, end: datetime) -> None:
    if end <= start:
        raise invalid("交班时间须晚于接班时间。A shift must end after it starts.", "shiftEnd")
    if end - start > MAX_SHIFT:
        raise invalid("一个班次最长 24 小时。A shift lasts at most 24 hours.", "shiftEnd")


def check_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise invalid("请填写内容。Write what happened or what is left to do.", "text")
    if len(value) > MAX_TEXT:
        raise invalid(f"内容最多 {MAX_TEXT} 字。At most {MAX_TEXT} characters.", "text")
    return value


def check_summary(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_SUMMARY:
        raise invalid(f"交班小结最多 {MAX_SUMMARY} 字。The summary is at most {MAX_SUMMARY} characters.", "summary")
    return value


def check_kind(kind: str) -> str:
    if kind not in KIND_LABELS:
        raise invalid("未知的记录类型。Unknown kind of entry.", "kind")
    return kind


def person_of(actor: str) -> UUID:
    """The user behind an actor string; the log is written and signed by people, not keys."""
    if not actor.startswith("user:"):
        raise forbidden("值班日志只能由本人登录填写。Only a signed-in person writes and signs the shift log.")
    return UUID(actor.removeprefix("user:"))


def shift_open_conflict() -> DomainError:
    return DomainError(ErrorCode.CONFLICT, "该部门已有未交班的值班日志，请先交班。"
                                           "This department already has an open shift log: hand it over first.",
                       "departmentId", reason=ErrorReason.SHIFT_OPEN)


def log_not_open() -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, "此值班日志已交班，不能再修改。This shift log was handed over; it cannot change.",
                       "logId", reason=ErrorReason.SHIFT_HANDED_OVER)


def not_acknowledged() -> DomainError:
    return DomainError(ErrorCode.INVALID_STATE, "请先签收上一班的交接，再记录。Acknowledge the handover before writing in the log.",
                       "logId", reason=ErrorReason.HANDOVER_NOT_ACKNOWLEDGED)
