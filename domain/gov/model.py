"""12345 orders: urgencies and their deadlines, what an arriving order must carry, and which
answers may go back when (DESIGN §4, §7). Pure: no database, callers pass `now`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.cases.model import Actor, WrittenReply
from domain.cases.states import CaseKind, Severity, State
from domain.errors import DomainError, ErrorCode, forbidden, invalid
from domain.events import Event
from domain.notifications.channels import check_url
from domain.sla.calendar import CHINA
from domain.unit_of_work import Aggregate, AuditEntry
from domain.wording import sentence

MAX_CONTENT = 5000
MAX_TEXT = 2000
# As far ahead as a city's own deadline may reach; further is a mistake in the order.
MAX_DEADLINE = timedelta(days=365)
# Government order numbers: letters, digits and a few separators — they go into URLs and letters.
ORDER_NUMBER = re.compile(r"^[A-Za-z0-9._:/#-]{1,64}$")


class Urgency(StrEnum):
    URGENT = "urgent"  # 涉及生命财产安全
    DAY = "day"  # 水电气热
    GENERAL = "general"
    COMPLEX = "complex"


URGENCY_LABELS = {
    Urgency.URGENT: "紧急 涉及生命财产安全 Risk to life or property",
    Urgency.DAY: "当日 水电气热 Water, power, gas, heat",
    Urgency.GENERAL: "一般 General",
    Urgency.COMPLEX: "复杂 Complex",
}


@dataclass(frozen=True)
class Deadlines:
    """Minutes to the response (签收: the first answer back) and to the result."""

    response_minutes: int
    resolve_minutes: int

    def check(self, urgency: str) -> Deadlines:
        if not 1 <= self.response_minutes <= 525600 or not 1 <= self.resolve_minutes <= 525600:
            raise invalid(f"紧急程度 {urgency} 的时限须在 1 分钟到 365 天之间。{urgency}: deadlines must be between 1 minute and 365 days.",
                          "deadlines")
        if self.response_minutes > self.resolve_minutes:
            raise invalid(f"紧急程度 {urgency} 的响应时限不能晚于办结时限。{urgency}: the response cannot be due after the result.",
                          "deadlines")
        return self


# DESIGN §4: 2 h, 24 h, 7 days, 15 days to the result; the response well inside each.
DEFAULT_DEADLINES = {
    Urgency.URGENT: Deadlines(30, 2 * 60),
    Urgency.DAY: Deadlines(2 * 60, 24 * 60),
    Urgency.GENERAL: Deadlines(24 * 60, 7 * 24 * 60),
    Urgency.COMPLEX: Deadlines(24 * 60, 15 * 24 * 60),
}

SEVERITY = {Urgency.URGENT: Severity.EMERGENCY, Urgency.DAY: Severity.MAJOR,
            Urgency.GENERAL: Severity.GENERAL, Urgency.COMPLEX: Severity.GENERAL}


def deadlines_for(urgency: Urgency, city: dict[Urgency, Deadlines]) -> Deadlines:
    """The city's own deadlines, where the company set them; else the defaults."""
    return city.get(urgency, DEFAULT_DEADLINES[urgency])


def check_city(city: str) -> str:
    city = (city or "").strip()
    if not 1 <= len(city) <= 50:
        raise invalid("城市名称须为 1–50 个字符。city must have 1–50 characters.", "city")
    return city


def check_bridge_name(name: str) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise invalid("名称须为 1–100 个字符。name must have 1–100 characters.", "name")
    return name


def check_callback_url(url: str, *, allow_loopback: bool) -> str:
    """Our answers go there signed, by the rules of every address we post to."""
    return check_url(url, "callbackUrl", allow_loopback=allow_loopback)


@dataclass(kw_only=True)
class CityDeadlines(Aggregate):
    """城市时限: a city's own deadlines for the whole company; urgencies left out take the defaults."""

    org_id: UUID
    city: str
    deadlines: dict[Urgency, Deadlines]

    @classmethod
    def choose(cls, city: str, given: tuple[tuple[Urgency, int, int], ...], *, org_id: UUID, by: str) -> CityDeadlines:
        city = check_city(city)
        chosen: dict[Urgency, Deadlines] = {}
        for urgency, response, resolve in given:
            if urgency in chosen:
                raise invalid(f"紧急程度 {urgency.value} 填写了两次，请只填一次。{urgency.value} is given twice.", "deadlines")
            chosen[urgency] = Deadlines(response, resolve).check(urgency.value)
        made = cls(org_id=org_id, city=city, deadlines=chosen)
        made.audit.append(AuditEntry(action="gov.city_deadlines_set", entity="gov_city_deadlines", entity_id=None, actor=by,
                                     data={"city": city, **{u.value: [d.response_minutes, d.resolve_minutes]
                                                            for u, d in chosen.items()}}))
        return made


@dataclass(frozen=True)
class Order:
    """An order as it arrived, checked, with its deadlines."""

    order_number: str
    category: str
    category_code: str | None
    urgency: Urgency
    kind: CaseKind
    content: str
    address: str | None
    requester_name: str | None
    requester_phone: str | None
    received_at: datetime
    response_due: datetime
    resolve_due: datetime

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.urgency]


def _string(payload: dict[str, Any], name: str, limit: int, *, required: bool) -> str | None:
    value = payload.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise invalid(f"字段 {name} 须为文本。{name} must be a string." if value is not None
                      else f"缺少字段 {name}。{name} is required.", name)
    value = value.strip()
    if not value:
        if required:
            raise invalid(f"请填写 {name}。{name} must not be empty.", name)
        return None
    if len(value) > limit:
        raise invalid(f"请将 {name} 控制在 {limit} 个字符以内。{name} may have at most {limit} characters.", name)
    return value


def check_order_number(value: Any) -> str:
    if not isinstance(value, str) or not ORDER_NUMBER.match(value):
        raise invalid("工单编号须为 1–64 个字母、数字或 . _ : / # -。order_number must have 1–64 letters, digits or . _ : / # -.",
                      "order_number")
    return value


def _deadline(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise invalid("办结期限须为带时区的 ISO 8601 时间，例如 2026-12-01T18:00:00+08:00。"
                      "deadline must be an ISO 8601 time with its offset, e.g. 2026-12-01T18:00:00+08:00.", "deadline")
    return at


def check_order(payload: dict[str, Any], *, city: dict[Urgency, Deadlines], now: datetime) -> Order:
    """The order a bridge sent, or the first problem with it (field named as in the JSON).
    The government's own deadline wins when it gives one still ahead of us."""
    number = check_order_number(payload.get("order_number"))
    category = _string(payload, "category", 100, required=True)
    code = _string(payload, "category_code", 40, required=False)
    try:
        urgency = Urgency(payload.get("urgency"))  # type: ignore[arg-type]  # as sent: a wrong value is the ValueError below
    except ValueError:
        raise invalid("紧急程度须为 urgent、day、general 或 complex。urgency must be urgent, day, general or complex.",
                      "urgency") from None
    try:
        kind = CaseKind(payload.get("kind") or CaseKind.REQUEST.value)
    except ValueError:
        kinds = ", ".join(k.value for k in CaseKind)
        raise invalid(f"诉求类型须为以下之一：{kinds}。kind must be one of {kinds}.", "kind") from None
    content = _string(payload, "content", MAX_CONTENT, required=True)
    address = _string(payload, "address", 300, required=False)
    requester = payload.get("requester") or {}
    if not isinstance(requester, dict):
        raise invalid("诉求人须为含 name 和 phone 的对象。requester must be an object with name and phone.", "requester")
    name = _string(requester, "name", 100, required=False)
    phone = _string(requester, "phone", 40, required=False)
    if phone is not None and not re.fullmatch(r"[0-9+\-() ]{3,40}", phone):
        raise invalid("诉求人电话须为电话号码。requester.phone must be a phone number.", "requester.phone")
    given = _deadline(payload.get("deadline"))
    if given is not None and given > now + MAX_DEADLINE:
        raise invalid("办结期限最多为 365 天之后。deadline may be at most 365 days ahead.", "deadline")
    limits = deadlines_for(urgency, city)
    resolve_due = now + timedelta(minutes=limits.resolve_minutes)
    if given is not None and given > now:
        resolve_due = given
    response_due = min(now + timedelta(minutes=limits.response_minutes), resolve_due)
    assert category is not None and content is not None
    return Order(number, category, code, urgency, kind, content, address, name, phone, now, response_due, resolve_due)


class Evaluation(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


EVALUATION_NAMES = {Evaluation.SATISFIED: "满意", Evaluation.BASICALLY_SATISFIED: "基本满意", Evaluation.DISSATISFIED: "不满意"}
# What a client shows: Chinese first, English beside.
EVALUATION_LABELS = {e: f"{EVALUATION_NAMES[e]} {e.value.replace('_', ' ').capitalize()}" for e in Evaluation}


def check_evaluation(value: Any) -> Evaluation:
    try:
        return Evaluation(value)
    except ValueError:
        raise invalid("评价须为 satisfied、basically_satisfied 或 dissatisfied。"
                      "evaluation must be satisfied, basically_satisfied or dissatisfied.", "evaluation") from None


# -- answers back -------------------------------------------------------------------------------


class AnswerKind(StrEnum):
    PROGRESS = "progress"  # 过程反馈
    RESULT = "result"  # 办结
    RETURNED = "returned"  # 退单: 不属于本单位职责


ANSWER_LABELS = {AnswerKind.PROGRESS: "过程反馈 Progress", AnswerKind.RESULT: "办结 Result",
                 AnswerKind.RETURNED: "退单 Not within our remit"}
DONE = frozenset({State.RESOLVED, State.CONFIRMED, State.CLOSED})
# An order is finished once its result or its return went back.
FINISHED = frozenset({"answered", "returned"})


def _text(value: str | None, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid(f"请填写 {name}。{name} must not be empty.", name)
    if len(value) > MAX_TEXT:
        raise invalid(f"请将 {name} 控制在 {MAX_TEXT} 个字符以内。{name} may have at most {MAX_TEXT} characters.", name)
    return value


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    text: str  # the progress or result; for a return, its reason
    at: datetime

    @property
    def status(self) -> str:
        """The order's status once this answer is given."""
        return {AnswerKind.PROGRESS: "responded", AnswerKind.RESULT: "answered", AnswerKind.RETURNED: "returned"}[self.kind]


def check_answer(kind: AnswerKind, *, order_status: str, case_state: State, text: str | None, reason: str | None,
                 now: datetime) -> Answer:
    """Progress any time before the result; the result once the case is resolved; a return only
    before the result, with its reason. Nothing after the result or the return."""
    if order_status in FINISHED:
        raise DomainError(ErrorCode.INVALID_STATE, "该12345工单已回复办结结果或已退回，不能再发送。"
                          "This order has had its result or was returned: nothing more can be sent.")
    if kind is AnswerKind.RETURNED:
        return Answer(kind, _text(reason, "reason"), now)
    body = _text(text, "text")
    if kind is AnswerKind.RESULT and case_state not in DONE:
        raise DomainError(ErrorCode.INVALID_STATE, "工单完工后才能回复办结结果，在此之前请回复过程反馈。"
                          "Send the result once the case is resolved; until then send progress.")
    return Answer(kind, body, now)


# -- returning an order (退单) --------------------------------------------------------------------

RETURN_BASIS = "12345 退单"


def check_returner(actor: Actor) -> None:
    """Returning an order declines its case, which is a supervisor's decision."""
    if not actor.supervisor:
        raise forbidden("退回12345工单即以书面答复婉拒对应工单，需由客服主管操作。"
                        "Returning a 12345 order declines its case: that needs a customer-service supervisor.")


def return_reply(answer: Answer, body_name: str | None) -> WrittenReply:
    """The written reply that declines the case: the return's reason, and where the matter goes
    instead — the outside body named, else back to the hotline to pass on."""
    elsewhere = f"请转交{body_name}办理" if body_name else "请12345热线转交有关职能部门办理"
    return WrittenReply(answer.text, RETURN_BASIS, (elsewhere,))


@dataclass(kw_only=True)
class OrderRecord(Aggregate):
    """An order as a change left it: what the unit of work records at commit — the audit row and
    the `gov_order.*` event (the signed callback of an answer is a delivery)."""

    id: UUID
    org_id: UUID
    project_id: UUID
    case_id: UUID
    order_number: str

    def received(self, order: Order, case_number: str, *, by: str) -> None:
        due = order.resolve_due.astimezone(CHINA).strftime("%m-%d %H:%M")
        self._event("gov_order.received", urgency=order.urgency.value, resolve_due=order.resolve_due.isoformat(),
                    summary=f"收到12345工单 {order.order_number}（{order.category}），已生成工单 {case_number}，须于 {due} 前办结。")
        self.audit.append(AuditEntry(action="gov_order.received", entity="gov_order", entity_id=self.id,
                                     project_id=self.project_id, actor=by, data={
                                         "order_number": order.order_number, "case_id": str(self.case_id),
                                         "urgency": order.urgency.value}))

    def evaluated(self, evaluation: Evaluation, *, by: str) -> None:
        self._event("gov_order.evaluated", evaluation=evaluation.value,
                    summary=f"12345工单 {self.order_number} 的政府评价：{EVALUATION_NAMES[evaluation]}。")
        self.audit.append(AuditEntry(action="gov_order.evaluated", entity="gov_order", entity_id=self.id,
                                     project_id=self.project_id, data={"evaluation": evaluation.value}, actor=by))

    def answered(self, answer: Answer, *, by: str) -> None:
        label = ANSWER_LABELS[answer.kind].split(" ")[0]
        self._event("gov_order.answered", answer=answer.kind.value,
                    summary=f"已向12345回复工单 {self.order_number}（{label}）：{sentence(answer.text[:60])}")
        self.audit.append(AuditEntry(action="gov_order.answered", entity="gov_order", entity_id=self.id,
                                     project_id=self.project_id, note=answer.text, data={"answer": answer.kind.value}, actor=by))

    def _event(self, topic: str, **facts: str) -> None:
        self.events.append(Event(topic=topic, org_id=self.org_id, project_id=self.project_id, payload={
            "order_id": str(self.id), "case_id": str(self.case_id), "order_number": self.order_number, **facts}))


def in_message(e: DomainError) -> DomainError:
    """A bridge reads the field in the message, named as in its JSON (not a GraphQL argument)."""
    named = e.field and not e.message.startswith(e.field)
    return DomainError(e.code, f"{e.field}: {e.message}" if named else e.message, e.field)
