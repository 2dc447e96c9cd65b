"""Outside bodies and referrals: what may be stored, how a referral moves, and when the sweep
reminds a silent body and escalates the case. Pure: no database, callers pass `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import DomainError, ErrorCode, invalid
from domain.notifications.channels import EMAIL, check_url
from domain.sla.calendar import CHINA

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
        raise invalid(f"{name} may have at most {limit} characters.", name)
    return value or None


def text_of(value: str | None, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid(f"{name} must not be empty.", name)
    if len(value) > MAX_TEXT:
        raise invalid(f"{name} may have at most {MAX_TEXT} characters.", name)
    return value


def check_body(spec: BodySpec, *, allow_loopback: bool) -> BodySpec:
    """A body as it may be stored: the address its delivery method needs, and only that one."""
    name = (spec.name or "").strip()
    if not 1 <= len(name) <= 100:
        raise invalid("name must have 1–100 characters.", "name")
    if not MIN_FEEDBACK_DAYS <= spec.feedback_days <= MAX_FEEDBACK_DAYS:
        raise invalid(f"feedbackDays must be between {MIN_FEEDBACK_DAYS} and {MAX_FEEDBACK_DAYS}.", "feedbackDays")
    url = email = None
    if spec.delivery is DeliveryMethod.WEBHOOK:
        url = check_url(spec.webhook_url, "webhookUrl", allow_loopback=allow_loopback)
    elif spec.webhook_url:
        raise invalid("Only a body reached by webhook takes a webhookUrl.", "webhookUrl")
    if spec.delivery is DeliveryMethod.EMAIL:
        email = (spec.email or "").strip()
        if len(email) > 320 or not EMAIL.match(email):
            raise invalid("email must be an e-mail address.", "email")
    elif spec.email:
        raise invalid("Only a body reached by e-mail takes an email.", "email")
    address = _optional(spec.address, "address", 300)
    if spec.delivery is DeliveryMethod.LETTER and not address:
        raise invalid("A body reached by letter needs its postal address.", "address")
    return BodySpec(spec.kind, name, spec.delivery, url, email, _optional(spec.contact_name, "contactName", 100),
                    _optional(spec.contact_phone, "contactPhone", 40), address, spec.feedback_days)


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
        raise DomainError(ErrorCode.INVALID_STATE, f"A referral that is {STATUS_LABELS[status]} takes no more feedback.")
    if feedback is Feedback.ACKNOWLEDGED and status is not ReferralStatus.SENT:
        raise DomainError(ErrorCode.INVALID_STATE, "The referral is already acknowledged.")


def check_withdraw(status: ReferralStatus) -> None:
    if status not in OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, f"A referral that is {STATUS_LABELS[status]} cannot be withdrawn.")


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
