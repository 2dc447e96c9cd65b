"""Outside bodies and referrals: what may be stored, how a referral moves, and when the sweep
reminds a silent body and escalates the case. Pure: no database, callers pass `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from domain.errors import DomainError, ErrorCode, invalid
from domain.events import Event
from domain.notifications.channels import EMAIL, check_url
from domain.sla.calendar import CHINA
from domain.unit_of_work import Aggregate, AuditEntry
from domain.wording import sentence

MAX_TEXT = 2000
MIN_FEEDBACK_DAYS, MAX_FEEDBACK_DAYS = 1, 90


class BodyKind(StrEnum):
    STREET_OFFICE = "street_office"
    RESIDENTS_COMMITTEE = "residents_committee"
    POLICE_STATION = "police_station"
    LAW_ENFORCEMENT = "law_enforcement"
    HOUSING_BUREAU = "housing_bureau"
    UTILITY = "utility"
    OTHER = "other"


KIND_LABELS: dict[BodyKind, str] = {
    BodyKind.STREET_OFFICE: "街道办 Street office", BodyKind.RESIDENTS_COMMITTEE: "居委会 Residents' committee",
    BodyKind.POLICE_STATION: "派出所 Police station", BodyKind.LAW_ENFORCEMENT: "城管执法 Law enforcement",
    BodyKind.HOUSING_BUREAU: "住建局 Housing bureau", BodyKind.UTILITY: "水电气公司 Utility", BodyKind.OTHER: "其他 Other",
}


class DeliveryMethod(StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"
    LETTER = "letter"


DELIVERY_LABELS: dict[DeliveryMethod, str] = {
    DeliveryMethod.WEBHOOK: "接口推送 Signed webhook", DeliveryMethod.EMAIL: "电子邮件 E-mail",
    DeliveryMethod.LETTER: "纸质函件 Printed letter",
}


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


STATUS_LABELS: dict[ReferralStatus, str] = {
    ReferralStatus.SENT: "已转办 Sent", ReferralStatus.ACKNOWLEDGED: "已签收 Acknowledged",
    ReferralStatus.ANSWERED: "已答复 Answered", ReferralStatus.WITHDRAWN: "已撤回 Withdrawn",
}
OPEN = frozenset({ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED})


def _zh(status: ReferralStatus) -> str:
    """The Chinese half of a status label, for a Chinese sentence."""
    return STATUS_LABELS[status].split(" ")[0]


@dataclass(frozen=True)
class BodySpec:
    kind: BodyKind
    name: str
    delivery: DeliveryMethod
    webhook_url: str | None = None
    email: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    feedback_days: int = 5


def _optional(value: str | None, name: str, limit: int) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise invalid(f"请将 {name} 控制在 {limit} 个字符以内。{name} may have at most {limit} characters.", name)
    return value or None


def text_of(value: str | None, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid(f"请填写 {name}。{name} must not be empty.", name)
    if len(value) > MAX_TEXT:
        raise invalid(f"请将 {name} 控制在 {MAX_TEXT} 个字符以内。{name} may have at most {MAX_TEXT} characters.", name)
    return value


def check_body(spec: BodySpec, *, allow_loopback: bool) -> BodySpec:
    """A body as it may be stored: the address its delivery method needs, and only that one."""
    name = (spec.name or "").strip()
    if not 1 <= len(name) <= 100:
        raise invalid("名称须为 1–100 个字符。name must have 1–100 characters.", "name")
    if not MIN_FEEDBACK_DAYS <= spec.feedback_days <= MAX_FEEDBACK_DAYS:
        raise invalid(f"反馈期限须在 {MIN_FEEDBACK_DAYS} 到 {MAX_FEEDBACK_DAYS} 天之间。"
                      f"feedbackDays must be between {MIN_FEEDBACK_DAYS} and {MAX_FEEDBACK_DAYS}.", "feedbackDays")
    url = email = None
    if spec.delivery is DeliveryMethod.WEBHOOK:
        url = check_url(spec.webhook_url, "webhookUrl", allow_loopback=allow_loopback)
    elif spec.webhook_url:
        raise invalid("只有通过 webhook 联系的外部单位才填写 webhookUrl。Only a body reached by webhook takes a webhookUrl.", "webhookUrl")
    if spec.delivery is DeliveryMethod.EMAIL:
        email = (spec.email or "").strip()
        if len(email) > 320 or not EMAIL.match(email):
            raise invalid("请填写有效的电子邮箱地址。email must be an e-mail address.", "email")
    elif spec.email:
        raise invalid("只有通过电子邮件联系的外部单位才填写邮箱。Only a body reached by e-mail takes an email.", "email")
    address = _optional(spec.address, "address", 300)
    if spec.delivery is DeliveryMethod.LETTER and not address:
        raise invalid("通过信函联系的外部单位须填写邮寄地址。A body reached by letter needs its postal address.", "address")
    return BodySpec(spec.kind, name, spec.delivery, url, email, _optional(spec.contact_name, "contactName", 100),
                    _optional(spec.contact_phone, "contactPhone", 40), address, spec.feedback_days)


@dataclass(frozen=True)
class BodyChanges:
    """What an update changes; None keeps the value."""

    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    delivery: DeliveryMethod | None = None
    webhook_url: str | None = None
    email: str | None = None
    feedback_days: int | None = None
    active: bool | None = None


@dataclass(kw_only=True)
class OutsideBody(Aggregate):
    """外部单位 as its managers change it. `secret_enc` is the signing secret, encrypted; the secret
    itself is never kept here, and no audit entry carries either."""

    id: UUID
    org_id: UUID
    project_id: UUID
    spec: BodySpec
    active: bool = True
    secret_enc: bytes | None = None

    @classmethod
    def register(cls, spec: BodySpec, *, org_id: UUID, project_id: UUID, allow_loopback: bool, by: str) -> OutsideBody:
        spec = check_body(spec, allow_loopback=allow_loopback)
        body = cls(id=uuid4(), org_id=org_id, project_id=project_id, spec=spec)
        body._record("outside_body.added", by, {"kind": spec.kind.value, "name": spec.name, "delivery": spec.delivery.value})
        return body

    @property
    def needs_secret(self) -> bool:
        """A body reached by webhook signs with a secret; one newly reached so gets one."""
        return self.spec.delivery is DeliveryMethod.WEBHOOK and self.secret_enc is None

    def change(self, c: BodyChanges, *, allow_loopback: bool, by: str) -> None:
        old = self.spec
        delivery = c.delivery or old.delivery

        def pick(new: str | None, kept: str | None, this: DeliveryMethod) -> str | None:
            # The address of another delivery method is dropped when the method changes.
            return new if new is not None else (kept if delivery is this else None)

        self.spec = check_body(BodySpec(
            old.kind, old.name, delivery, pick(c.webhook_url, old.webhook_url, DeliveryMethod.WEBHOOK),
            pick(c.email, old.email, DeliveryMethod.EMAIL),
            old.contact_name if c.contact_name is None else c.contact_name,
            old.contact_phone if c.contact_phone is None else c.contact_phone,
            old.address if c.address is None else c.address,
            old.feedback_days if c.feedback_days is None else c.feedback_days), allow_loopback=allow_loopback)
        self.active = self.active if c.active is None else c.active
        self._record("outside_body.updated", by,
                     {"delivery": self.spec.delivery.value, "feedback_days": self.spec.feedback_days, "active": self.active})

    def give_secret(self, stored: bytes) -> None:
        """The first secret of a body now reached by webhook (recorded with the change that needed it)."""
        self.secret_enc = stored

    def rotate_secret(self, stored: bytes, *, by: str) -> None:
        self.secret_enc = stored
        self._record("outside_body.secret_rotated", by, {})

    def _record(self, action: str, by: str, data: dict[str, Any]) -> None:
        self.audit.append(AuditEntry(action=action, entity="outside_body", entity_id=self.id, project_id=self.project_id,
                                     data=data, actor=by))


def check_letters_printed(printed: int) -> None:
    """已打印 needs a letter (or reminder) on paper still waiting."""
    if not printed:
        raise DomainError(ErrorCode.INVALID_STATE, "该转办单没有待打印的函件。"
                                                   "This referral has no letter waiting to be printed.", "referralId")


def feedback_due(now: datetime, days: int) -> datetime:
    """The body's answer is due at the end of the Beijing day `days` calendar days after today:
    a referral made at 16:00 with five days is due at midnight starting the sixth day."""
    day = now.astimezone(CHINA).date() + timedelta(days=days + 1)
    return datetime(day.year, day.month, day.day, tzinfo=CHINA)


# -- what the body says ------------------------------------------------------------------------


class Feedback(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"


def check_feedback(status: ReferralStatus, feedback: Feedback) -> None:
    """签收 once, while only sent; 答复 while open. A withdrawn or answered referral takes nothing."""
    if status not in OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, f"该转办单当前为“{_zh(status)}”，不再接受反馈。"
                                                    f"A referral that is {STATUS_LABELS[status]} takes no more feedback.")
    if feedback is Feedback.ACKNOWLEDGED and status is not ReferralStatus.SENT:
        raise DomainError(ErrorCode.INVALID_STATE, "该转办单已签收。The referral is already acknowledged.")


@dataclass(kw_only=True)
class ReferralRecord(Aggregate):
    """A referral as a change left it: the event, and for a 签收 the case's own audit row, that the
    unit of work writes at commit. The `referral_updates` history row is the repository's."""

    id: UUID
    org_id: UUID
    project_id: UUID
    case_id: UUID
    body_id: UUID
    body_name: str
    case_number: str

    def sent(self, due_at: datetime) -> None:
        self._event("referral.sent", f"工单 {self.case_number} 已转办至{self.body_name}，请其于{due_at.astimezone(CHINA):%m月%d日}前反馈。")

    def acknowledged(self, *, by: str) -> None:
        # On the case's own record too: the resident's progress tells them the body has it.
        self.audit.append(AuditEntry(action="case.referral_acknowledged", entity="case", entity_id=self.case_id,
                                     project_id=self.project_id, from_state="referred", to_state="referred",
                                     data={"body": self.body_name, "referral_id": str(self.id)}, actor=by))
        self._event("referral.acknowledged", f"{self.body_name}已签收工单 {self.case_number} 的转办。")

    def answered(self, outcome: str) -> None:
        self._event("referral.answered", f"{self.body_name}已答复工单 {self.case_number}：{sentence(outcome[:100])}", outcome=outcome)

    def reminded(self, n: int) -> None:
        self._event("referral.reminded", f"{self.body_name}逾期未反馈工单 {self.case_number} 的转办，已第{n}次催办。", reminder=n)

    def _event(self, topic: str, summary: str, **extra: Any) -> None:
        self.events.append(Event(topic=topic, org_id=self.org_id, project_id=self.project_id, payload={
            "referral_id": str(self.id), "case_id": str(self.case_id), "body_id": str(self.body_id), "body_name": self.body_name,
            **extra, "summary": summary}))


def check_withdraw(status: ReferralStatus) -> None:
    if status not in OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, f"该转办单当前为“{_zh(status)}”，不能撤回。"
                                                    f"A referral that is {STATUS_LABELS[status]} cannot be withdrawn.")


# -- the sweep's schedule ----------------------------------------------------------------------

# A silent body is reminded when the answer falls due and once more a day later; then the case
# climbs the ladder (reason `referral_overdue`): L1 two days after due, L2 at four, L3 at seven.
FIRST_REMINDER = timedelta(0)
SECOND_REMINDER = timedelta(days=1)
ESCALATIONS = (("l1", timedelta(days=2)), ("l2", timedelta(days=4)), ("l3", timedelta(days=7)))
REMINDERS = (FIRST_REMINDER, SECOND_REMINDER)
LEVELS = tuple(level for level, _ in ESCALATIONS)


@dataclass(frozen=True)
class Action:
    """What the sweep does now: `remind` (the reminder's number) or `escalate` (the level)."""

    kind: str
    reminder: int | None = None
    level: str | None = None


@dataclass(frozen=True)
class Next:
    action: Action | None
    next_check_at: datetime | None  # after doing `action`; None: nothing left to do


def _schedule(due_at: datetime) -> list[tuple[datetime, Action]]:
    steps = [(due_at + after, Action("remind", reminder=n)) for n, after in enumerate(REMINDERS, start=1)]
    return steps + [(due_at + after, Action("escalate", level=level)) for level, after in ESCALATIONS]


def next_step(due_at: datetime, reminders_sent: int, escalated_level: str | None, now: datetime) -> Next:
    """The first step of the schedule not yet done: due now (do it, then look again at the step
    after it) or later (look again then)."""
    done = min(reminders_sent, len(REMINDERS)) + (LEVELS.index(escalated_level) + 1 if escalated_level else 0)
    steps = _schedule(due_at)[done:]
    if not steps:
        return Next(None, None)
    at, action = steps[0]
    if at > now:
        return Next(None, at)
    return Next(action, steps[1][0] if len(steps) > 1 else None)
