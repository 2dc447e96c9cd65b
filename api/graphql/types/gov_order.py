"""12345 bridges, their orders and each city's deadlines. A bridge's signing secret is never
read back; a requester's phone is shown masked. An order's answers are the deliveries sent back
through its bridge (`deliveries.ref_id` = the order)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.case import Case
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.viewer import User
from api.graphql.reach import required_project_in_reach
from domain.errors import DomainError, ErrorCode, invalid
from domain.gov import reads
from domain.gov.model import ANSWER_LABELS, DEFAULT_DEADLINES, EVALUATION_LABELS, URGENCY_LABELS, AnswerKind, Evaluation, Urgency
from domain.reads import Row
from tenants.roles import Permission

GovUrgency = strawberry.enum(Urgency, name="GovUrgency", description="12345 紧急程度 How urgent the government says it is.")


@strawberry.enum(description="12345 工单状态 Where the answer back stands.")
class GovOrderStatus(Enum):
    RECEIVED = "received"
    RESPONDED = "responded"
    ANSWERED = "answered"
    RETURNED = "returned"


STATUS_LABELS = {"received": "已接收 Received", "responded": "已签收 Responded", "answered": "已办结 Answered",
                 "returned": "已退单 Returned"}


@strawberry.type(description="12345 热线对接 A government hotline bridge of one project: a signed integration like a "
                               "PaymentIntegration or TelephonyIntegration. Its signing secret is shown once, when made.")
class GovBridge(Node):
    project_id: strawberry.ID
    name: str
    city: str
    callback_url: str = strawberry.field(description="Where our answers go, signed with the bridge's secret.")
    active: bool
    last_used_at: datetime | None = strawberry.field(description="The last order or evaluation it sent us.")
    created_at: datetime
    created_by: str
    updated_at: datetime = strawberry.field(description="Last switched on or off, or its secret rotated.")
    receiver_id: strawberry.Private[UUID]

    @strawberry.field(description="首问 The staff member its orders are registered by.")
    async def receiver(self, info: Info) -> User | None:
        row = await info.context.loaders.user_by_id.load(self.receiver_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="The path the bridge posts to (signed).")
    def inbound_path(self) -> str:
        return f"/bridge/12345/{self.bridge_uuid}"

    bridge_uuid: strawberry.Private[UUID]

    @classmethod
    def from_row(cls, r: Row) -> GovBridge:
        return cls(id=to_global_id("GovBridge", r.id), project_id=to_global_id("Project", r.project_id), name=r.name, city=r.city,
                   callback_url=r.callback_url, active=r.active, last_used_at=r.last_used_at, created_at=r.created_at,
                   created_by=r.created_by, updated_at=r.updated_at, receiver_id=r.receiver_id, bridge_uuid=r.id)


@strawberry.type(description="回复 One answer sent back through the bridge, as its delivery stands.")
class GovAnswer:
    id: strawberry.ID = strawberry.field(description="The delivery's id (X-Firstcall-Delivery).")
    kind: str = strawberry.field(description="progress, result or returned")
    kind_label: str
    text: str | None
    status: str = strawberry.field(description="pending or sent")
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


@strawberry.type(description="12345 工单 A government hotline order and the case that works it.")
class GovOrder(Node):
    project_id: strawberry.ID
    bridge_id: strawberry.ID
    order_number: str
    category: str
    urgency: GovUrgency
    urgency_label: str
    content: str
    address: str | None
    requester_name: str | None
    requester_phone: str | None = strawberry.field(description="Masked, e.g. 138****5678.")
    received_at: datetime
    response_due: datetime = strawberry.field(description="签收时限 The first answer back is due.")
    resolve_due: datetime = strawberry.field(description="办结时限 The result is due; the case is committed to it.")
    status: GovOrderStatus
    status_label: str
    responded_at: datetime | None
    answered_at: datetime | None = strawberry.field(description="When the result or the return went back.")
    result: str | None
    returned_reason: str | None
    returned_body_id: strawberry.ID | None = strawberry.field(description="The outside body named as responsible, if one.")
    evaluation: str | None = strawberry.field(description="The government's: satisfied, basically_satisfied, dissatisfied.")
    evaluation_label: str | None = strawberry.field(description="政府评价 The evaluation, Chinese first with the English beside.")
    evaluated_at: datetime | None
    responded_on_time: bool | None = strawberry.field(description="Null while the response is neither given nor due.")
    resolved_on_time: bool | None = strawberry.field(description="Null while neither given nor due, and for a returned order.")
    answers: list[GovAnswer]
    case_uuid: strawberry.Private[UUID]

    @strawberry.field(description="The case working it, if visible.")
    async def case(self, info: Info) -> Case | None:
        row = await info.context.loaders.case_by_id.load(self.case_uuid)
        return Case.from_row(row) if row else None


def _on_time(done: datetime | None, due: datetime, now: datetime) -> bool | None:
    if done is not None:
        return done <= due
    return False if due <= now else None


def _order(r: Row, answers: list[Row], now: datetime) -> GovOrder:
    return GovOrder(
        id=to_global_id("GovOrder", r.id), project_id=to_global_id("Project", r.project_id),
        bridge_id=to_global_id("GovBridge", r.bridge_id), order_number=r.order_number, category=r.category,
        urgency=Urgency(r.urgency), urgency_label=URGENCY_LABELS[Urgency(r.urgency)], content=r.content, address=r.address,
        requester_name=r.requester_name, requester_phone=r.requester_phone_masked, received_at=r.received_at,
        response_due=r.response_due, resolve_due=r.resolve_due, status=GovOrderStatus(r.status), status_label=STATUS_LABELS[r.status],
        responded_at=r.responded_at, answered_at=r.answered_at, result=r.result, returned_reason=r.returned_reason,
        returned_body_id=to_global_id("OutsideBody", r.returned_body_id) if r.returned_body_id else None,
        evaluation=r.evaluation, evaluation_label=EVALUATION_LABELS[Evaluation(r.evaluation)] if r.evaluation else None,
        evaluated_at=r.evaluated_at,
        responded_on_time=_on_time(r.responded_at, r.response_due, now),
        resolved_on_time=None if r.status == "returned" else _on_time(r.answered_at if r.status == "answered" else None,
                                                                      r.resolve_due, now),
        answers=[GovAnswer(id=to_global_id("Delivery", a.id), kind=a.answer, kind_label=ANSWER_LABELS[AnswerKind(a.answer)],
                           text=a.text, status=a.status, attempts=a.attempts, last_error=a.last_error, created_at=a.created_at,
                           sent_at=a.sent_at) for a in answers],
        case_uuid=r.case_id,
    )


async def _complete(info: Info, rows: list[Row]) -> list[GovOrder]:
    """Two statements for any number of orders: the orders, then all their answers."""
    answers: dict[UUID, list[Row]] = defaultdict(list)
    if rows:
        for a in await reads.answers(info.context.db, [r.id for r in rows]):
            answers[a.ref_id].append(a)
    now = datetime.now(UTC)
    return [_order(r, answers[r.id], now) for r in rows]


async def gov_bridges(info: Info, project_id: UUID | None) -> list[GovBridge]:
    return [GovBridge.from_row(r) for r in await reads.bridges(info.context.db, project_id)]


async def gov_integrations(info: Info, project_id: strawberry.ID) -> list[GovBridge]:
    """One project's, as `paymentIntegrations` and `telephonyIntegrations` answer: out of reach is not
    found, in reach without the permission on that project is refused."""
    project = await required_project_in_reach(info, project_id)
    if not info.context.require().can(Permission.GOV_BRIDGE_MANAGE, project):
        raise DomainError(ErrorCode.FORBIDDEN, f"您无权管理12345热线对接。This needs the permission "
                                               f"{Permission.GOV_BRIDGE_MANAGE.value} on the project.")
    return [GovBridge.from_row(r) for r in await reads.bridges(info.context.db, project)]


async def gov_bridge(info: Info, bridge_id: UUID) -> GovBridge | None:
    row = await reads.bridge(info.context.db, bridge_id)
    return GovBridge.from_row(row) if row else None


async def gov_orders(info: Info, project_id: UUID | None, status: GovOrderStatus | None, first: int) -> list[GovOrder]:
    if not 1 <= first <= 200:
        raise invalid("数量 first 须在 1 到 200 之间。first must be between 1 and 200.", "first")
    rows = await reads.orders(info.context.db, project_id, status.value if status else None, first)
    return await _complete(info, rows)


async def gov_order(info: Info, order_id: UUID) -> GovOrder | None:
    row = await reads.order(info.context.db, order_id)
    return (await _complete(info, [row]))[0] if row else None


@strawberry.type(description="城市时限 Deadlines of one urgency in one city, in minutes.")
class GovCityDeadline:
    city: str
    urgency: GovUrgency
    urgency_label: str
    response_minutes: int
    resolve_minutes: int
    is_default: bool = strawberry.field(description="True: the company set nothing for it; DESIGN §4's defaults apply.")


async def gov_city_deadlines(info: Info, city: str | None) -> list[GovCityDeadline]:
    """Without a city: what the company set, city by city. With one: all four urgencies as they
    apply there, defaults filled in."""
    city = city.strip() if city else None
    rows = await reads.city_deadlines(info.context.db, city)
    found = [GovCityDeadline(city=r.city, urgency=Urgency(r.urgency), urgency_label=URGENCY_LABELS[Urgency(r.urgency)],
                             response_minutes=r.response_minutes, resolve_minutes=r.resolve_minutes, is_default=False)
             for r in rows]
    if city is None:
        return found
    own = {d.urgency: d for d in found}
    return [own.get(u) or GovCityDeadline(city=city, urgency=u, urgency_label=URGENCY_LABELS[u],
                                          response_minutes=d.response_minutes, resolve_minutes=d.resolve_minutes, is_default=True)
            for u, d in DEFAULT_DEADLINES.items()]
