"""决策反馈 The rules of a decision-feedback item, pure (callers pass `now`).

- A problem is out of the company's remit when its case was referred to an outside body (not
  withdrawn), its 12345 order was returned as not ours, or it was declined. Grouped by case
  category and body over a Beijing month, it is recurring from `DEFAULT_MIN_CASES` cases on;
  only a recurring problem is reported, once per project, category, body and month.
- The lifecycle moves forward one step at a time: reported → acknowledged (the department
  has it) → corrected (it has acted) → implemented (the fix holds). No skipping, no going back.
- Every step, the report included, carries evidence a person can check: 1–2,000 characters,
  and up to 20 attachment references (file ids or links) of up to 1,000 characters each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import DomainError, ErrorCode, invalid
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry


class Status(StrEnum):
    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    CORRECTED = "corrected"
    IMPLEMENTED = "implemented"


STATUS_LABELS = {
    Status.REPORTED: "已上报 Reported",
    Status.ACKNOWLEDGED: "已确认 Acknowledged",
    Status.CORRECTED: "已整改 Corrected",
    Status.IMPLEMENTED: "已落实 Implemented",
}
ORDER = tuple(Status)
# The column that records when an item reached each status after the report.
REACHED_AT = {Status.ACKNOWLEDGED: "acknowledged_at", Status.CORRECTED: "corrected_at", Status.IMPLEMENTED: "implemented_at"}
SOURCE_LABELS = {"referral": "转办 Referred", "gov_return": "12345退回 Returned by 12345", "declined": "不予受理 Declined"}

DEFAULT_MIN_CASES = 3
MAX_MIN_CASES = 1000
MAX_TITLE, MAX_EVIDENCE = 200, 2000
MAX_ATTACHMENTS, MAX_ATTACHMENT = 20, 1000
SAMPLE_CASES = 5


def _zh(status: Status) -> str:
    """The Chinese half of a status label, for a Chinese sentence."""
    return STATUS_LABELS[status].split(" ")[0]


def next_status(current: Status) -> Status | None:
    i = ORDER.index(current)
    return ORDER[i + 1] if i + 1 < len(ORDER) else None


def advance(current: Status, wanted: Status) -> Status:
    """The status an item moves to, or INVALID_STATE naming the one step it may take."""
    following = next_status(current)
    if following is None:
        raise DomainError(ErrorCode.INVALID_STATE, "该事项已落实，流程已经结束。"
                                                   "This item is implemented (已落实): its lifecycle is complete.", "status")
    if wanted != following:
        raise DomainError(ErrorCode.INVALID_STATE,
                          f"该事项当前为“{_zh(current)}”，下一步应为“{_zh(following)}”，不能直接改为“{_zh(wanted)}”：请逐步推进。"
                          f"An item that is {STATUS_LABELS[current]} moves to {STATUS_LABELS[following]} next, "
                          f"not to {STATUS_LABELS[wanted]}: one step at a time.", "status")
    return wanted


def evidence(text: str, field: str = "evidence") -> str:
    cleaned = (text or "").strip()
    if not 1 <= len(cleaned) <= MAX_EVIDENCE:
        raise invalid(f"请在 {field} 中用 1 到 {MAX_EVIDENCE:,} 个字符说明这一步已完成的依据。"
                      f"{field} must have 1 to {MAX_EVIDENCE:,} characters: say what shows this step happened.", field)
    return cleaned


def attachments(refs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if len(refs) > MAX_ATTACHMENTS:
        raise invalid(f"每一步最多 {MAX_ATTACHMENTS} 个附件。At most {MAX_ATTACHMENTS} attachments per step.", "attachments")
    cleaned = tuple(r.strip() for r in refs)
    for n, ref in enumerate(cleaned, 1):
        if not 1 <= len(ref) <= MAX_ATTACHMENT:
            raise invalid(f"第 {n} 个附件须为 1 到 {MAX_ATTACHMENT:,} 个字符（文件编号或链接）。"
                          f"Attachment {n} must have 1 to {MAX_ATTACHMENT:,} characters (a file id or a link).", "attachments")
    return cleaned


def title(text: str) -> str:
    cleaned = (text or "").strip()
    if not 1 <= len(cleaned) <= MAX_TITLE:
        raise invalid(f"标题须为 1 到 {MAX_TITLE} 个字符。title must have 1 to {MAX_TITLE} characters.", "title")
    return cleaned


def min_cases(n: int) -> int:
    if not 1 <= n <= MAX_MIN_CASES:
        raise invalid(f"最少工单数须在 1 到 {MAX_MIN_CASES} 之间。minCases must be between 1 and {MAX_MIN_CASES}.", "minCases")
    return n


def check_recurring(case_count: int, threshold: int = DEFAULT_MIN_CASES) -> None:
    """Only a recurring problem goes to a government department; a single case is referred, not reported."""
    if case_count < threshold:
        raise invalid(f"本月该类别、该外部单位下不属于我方职责的工单只有 {case_count} 件，反复出现的问题至少 {threshold} 件才能上报。"
                      f"{case_count} out-of-remit case(s) of this category and body in the month; a recurring problem "
                      f"needs at least {threshold}.", "categoryCode")


def age_days(reported_at: datetime, implemented_at: datetime | None, now: datetime) -> int:
    """Whole days an item has been (or was) open: from the report to its implementation, or to now."""
    return max(0, ((implemented_at or now) - reported_at).days)


def sentence(status: Status, title: str, category: str, body: str | None, period: date, case_count: int) -> str:
    """The one Chinese sentence an event carries for a person to read."""
    where = body or "未指明单位"
    return (f"决策反馈「{title}」{STATUS_LABELS[status].split(' ')[0]}：{category}·{where}，"
            f"{period.year}年{period.month}月共{case_count}件。")


def period_of(month: date, today: date) -> date:
    """The Beijing month a day falls in (its first day); a month still to come has no cases yet."""
    first = month.replace(day=1)
    if not date(2000, 1, 1) <= first <= date(2100, 1, 1):
        raise invalid("月份须在 2000 年到 2100 年之间。month must fall between 2000 and 2100.", "month")
    if first > today.replace(day=1):
        raise invalid("该月份尚未到来，请选择本月或更早的月份。month is still to come: choose this month or an earlier one.", "month")
    return first


@dataclass(kw_only=True)
class FeedbackItem(Aggregate):
    """An item as it changes: each step (the report included) is announced and audited, the
    audit row naming its event; the unit of work writes both at commit."""

    id: UUID
    project_id: UUID
    status: Status
    title: str
    period: date
    case_count: int
    category_code: str
    category_name: str
    body_name: str | None = None

    def reported(self, *, org_id: UUID, body_id: UUID | None) -> None:
        self._announce(org_id, {"period": self.period.isoformat(), "case_count": self.case_count,
                                "body_id": str(body_id) if body_id else None}, from_state=None)

    def advance(self, wanted: Status, *, org_id: UUID, attachments: tuple[str, ...]) -> None:
        """One step on (`advance` says which one is allowed)."""
        was = self.status
        self.status = advance(was, wanted)
        self._announce(org_id, {"attachments": len(attachments)}, from_state=was.value)

    def _announce(self, org_id: UUID, data: dict[str, Any], from_state: str | None) -> None:
        topic = "decision_feedback.reported" if self.status is Status.REPORTED else "decision_feedback.advanced"
        said = sentence(self.status, self.title, self.category_name, self.body_name, self.period, self.case_count)
        event = Event(topic=topic, org_id=org_id, project_id=self.project_id,
                      payload={"item_id": str(self.id), "status": self.status.value, "category": self.category_code, "summary": said})
        self.events.append(event)
        self.audit.append(AuditEntry(action=topic, entity="decision_feedback", entity_id=self.id, project_id=self.project_id,
                                     from_state=from_state, to_state=self.status.value, data=data, event_id=event.id))
