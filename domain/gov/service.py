"""12345 use cases, each in the caller's unit of work (its tenant wall): claim the idempotency key,
load (locked) what changes, check the permission on its project, apply the rule, save, commit —
the unit of work writes the audit rows and events. A signing secret made here is returned to be
shown once; it is never in an idempotency result, an audit row or an event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row

from domain.cases.commands import RegisterCase
from domain.cases.intake import register_case
from domain.cases.model import Actor
from domain.cases.repository import CaseRepository
from domain.cases.states import Channel
from domain.errors import DomainError, ErrorCode, conflict, not_found
from domain.gov import repository as gov
from domain.gov.commands import AnswerOrder, ReceiveEvaluation, ReceiveOrder, SetGovCityDeadlines
# The bridge's own steps are every signed integration's (domain/gov/integration.py); named here too for callers.
from domain.gov.integration import add_gov_bridge, rotate_gov_bridge_secret, set_gov_bridge_active  # noqa: F401
from domain.gov.model import (
    ANSWER_LABELS, FINISHED, Answer, AnswerKind, CityDeadlines, OrderRecord, check_answer, check_order,
    check_order_number, check_returner, in_message, return_reply,
)
from domain.gov.repository import BridgeRepository
from domain.notifications.direct import queue_direct
from domain.signing import Encrypts
from domain.unit_of_work import UnitOfWork
from tenants.personal_data import mask_phone
from tenants.roles import Permission


async def set_gov_city_deadlines(cmd: SetGovCityDeadlines, uow: UnitOfWork) -> str:
    """The city's name as stored; new orders take its deadlines, orders received keep theirs."""
    uow.require(Permission.GOV_BRIDGE_MANAGE, None)
    chosen = CityDeadlines.choose(cmd.city, cmd.deadlines, org_id=uow.org_id, by=uow.actor)
    async with uow:
        request = {"city": chosen.city, "deadlines": [[u.value, a, b] for u, a, b in cmd.deadlines]}
        if await uow.claim(cmd.idempotency_key, "setGovCityDeadlines", request) is not None:
            return chosen.city
        await gov.save_city_deadlines(uow, chosen)
        await uow.commit({"ok": True})
    return chosen.city


async def answer_order(cmd: AnswerOrder, uow: UnitOfWork, *, now: datetime | None = None) -> UUID:
    """The answer goes back signed through the order's bridge; a return also declines the case
    (by a supervisor: the caller's CASE_SUPERVISE on the order's project)."""
    async with uow:
        request = {"orderId": str(cmd.order_id), "kind": cmd.kind.value, "text": cmd.text, "reason": cmd.reason,
                   "bodyId": str(cmd.body_id) if cmd.body_id else None}
        if (done := await uow.claim(cmd.idempotency_key, "answerGovOrder", request)) is not None:
            return UUID(done["order_id"])
        conn = uow.conn
        order = await gov.order_for_update(conn, uow.org_id, cmd.order_id)
        if order is None:
            raise not_found("The 12345 order", "orderId", zh="12345工单")
        uow.require(Permission.GOV_ORDER_ANSWER, order.project_id)
        repo = CaseRepository(uow)
        case = await repo.get_for_update(order.case_id)
        if case is None:
            raise not_found("The order's case", "orderId", zh="该12345工单对应的工单")
        now = now or datetime.now(UTC)
        answer = check_answer(cmd.kind, order_status=order.status, case_state=case.state, text=cmd.text, reason=cmd.reason,
                              now=now)
        named = None
        if answer.kind is AnswerKind.RETURNED:
            actor = Actor(cmd.actor_id, supervisor=uow.may(Permission.CASE_SUPERVISE, order.project_id))
            check_returner(actor)
            if cmd.body_id is not None:
                named = await gov.project_body(conn, uow.org_id, cmd.body_id, order.project_id)
                if named is None:
                    raise not_found("The outside body of this project", "bodyId", zh="本项目的外部单位")
            case.request_decline(answer.text, actor=actor, now=now)
            case.approve_decline(return_reply(answer, named.name if named else None), actor=actor, now=now)
            await repo.save(case)
        await gov.record_answer(conn, uow.org_id, cmd.order_id, answer, named.id if named else None)
        await _callback(uow, order, answer, await gov.case_number(conn, uow.org_id, order.case_id))
        answered = OrderRecord(id=order.id, org_id=order.org_id, project_id=order.project_id, case_id=order.case_id,
                                 order_number=order.order_number)
        uow.track(answered)
        answered.answered(answer, by=uow.actor)
        await uow.commit({"order_id": str(cmd.order_id)})
    return cmd.order_id


async def _callback(uow: UnitOfWork, order: Row[Any], answer: Answer, case_number: str) -> None:
    """The signed callback to the bridge, sent by the delivery worker after the commit."""
    bridge = await gov.bridge(uow.conn, uow.org_id, order.bridge_id)
    assert bridge is not None  # an order's bridge is never deleted (a foreign key)
    field = "reason" if answer.kind is AnswerKind.RETURNED else "text"
    label = ANSWER_LABELS[answer.kind].split(" ")[0]
    data = {"order_number": order.order_number, "answer": answer.kind.value, field: answer.text, "at": answer.at.isoformat(),
            "case_number": case_number}
    # A result or a return happens once per order; each progress note is its own message.
    key = f"gov:{order.id}:{answer.kind.value}" + (f":{answer.at.isoformat()}" if answer.kind is AnswerKind.PROGRESS else "")
    await queue_direct(uow, org_id=order.org_id, project_id=order.project_id, purpose="gov_callback", ref_id=order.id,
                       kind="webhook", target=bridge.callback_url, secret_enc=bridge.secret_enc, topic="gov_order.answered",
                       title=f"12345工单 {order.order_number} {label}", body=answer.text, data=data, dedupe_key=key)


# -- what a bridge sends (api/inbound/gov_bridge.py): the actor is the bridge, no user permission --


@dataclass(frozen=True)
class ReceivedOrder:
    order_id: UUID
    case_number: str
    response_due: datetime
    resolve_due: datetime


async def receive_order(cmd: ReceiveOrder, uow: UnitOfWork, *, cipher: Encrypts) -> ReceivedOrder:
    """A new 工单 becomes a `gov_12345` case registered by the bridge's receiver (首问), committed at
    once to the government's deadline; the order row beside it; `gov_order.received`. The same
    order number twice is a conflict: the government re-sending an order makes no second case."""
    now = datetime.now(UTC)
    async with uow:
        conn = uow.conn
        bridge = cmd.seen if cmd.seen is not None and cmd.seen.id == cmd.bridge_id else await gov.bridge(conn, uow.org_id, cmd.bridge_id)
        if bridge is None:
            raise not_found("The 12345 bridge", "bridgeId", zh="12345对接")
        try:
            number = check_order_number(cmd.payload.get("order_number"))
            if await gov.order_by_number(conn, uow.org_id, bridge.id, number) is not None:
                raise conflict(f"此前已收到12345工单 {number}，换了投递编号也不算新工单。"
                               f"Order {number} was received before; a new delivery id does not make it a new order.",
                               "order_number")
            order = check_order(cmd.payload, city=await gov.city_deadlines(conn, uow.org_id, bridge.city), now=now)
        except DomainError as e:
            raise in_message(e) from None
        receiver = Actor(bridge.receiver_id)
        category = await gov.order_category(conn, uow.org_id, order.category_code)
        if category is None:
            raise DomainError(ErrorCode.INVALID_STATE, "公司没有启用中的“其他”类别，12345工单无处归类：请先启用该类别。"
                              "The company has no active category 'other' (其他) to file 12345 orders under.")
        description = f"【12345 {order.order_number} · {order.category}】{order.content}"[:5000]
        registered = await register_case(uow, RegisterCase(
            project_id=bridge.project_id, kind=order.kind, severity=order.severity, channel=Channel.GOV_12345,
            category_id=category, description=description, public_area=order.address[:200] if order.address else None),
            org_id=uow.org_id, receiver=receiver, now=now)
        case = registered.case
        # The government's deadline is the promise: the resolution target and its ladder follow it.
        case.commit(order.resolve_due, default_due=order.resolve_due, actor=receiver, now=now)
        await CaseRepository(uow).save(case)
        phone = order.requester_phone
        order_id = await gov.add_order(conn, org_id=uow.org_id, project_id=bridge.project_id, bridge_id=bridge.id,
                                       case_id=case.id, order=order, phone_enc=cipher.encrypt(phone) if phone else None,
                                       phone_masked=mask_phone(phone) if phone else None)
        await BridgeRepository(uow).touch(bridge.id)  # lastUsedAt, as a payment or telephony integration's
        record = OrderRecord(id=order_id, org_id=uow.org_id, project_id=bridge.project_id, case_id=case.id,
                             order_number=order.order_number)
        uow.track(record)

        numbered: list[str] = []

        async def announce() -> None:  # the government's platform is answered with the number: taken last, before the events
            numbered.append(await CaseRepository(uow).take_number(case.id))
            record.received(order, numbered[0], by=uow.actor)

        uow.at_commit(announce)
        await uow.commit({"order_id": str(order_id)})
    return ReceivedOrder(order_id, numbered[0], order.response_due, order.resolve_due)


async def receive_evaluation(cmd: ReceiveEvaluation, uow: UnitOfWork) -> UUID:
    """满意 / 基本满意 / 不满意 on an order of this bridge that had its result or its return."""
    async with uow:
        order = await gov.order_by_number(uow.conn, uow.org_id, cmd.bridge_id, cmd.order_number)
        if order is None:
            raise not_found(f"Order {cmd.order_number} of this bridge", "order_number", zh=f"本对接的12345工单 {cmd.order_number} ")
        if order.status not in FINISHED:
            raise DomainError(ErrorCode.INVALID_STATE,
                              f"该12345工单（{cmd.order_number}）尚未回复办结结果或退回，暂无可评价的内容。"
                              f"Order {cmd.order_number} has no result or return yet: there is nothing to evaluate.")
        await gov.record_evaluation(uow.conn, uow.org_id, order.id, cmd.evaluation, datetime.now(UTC))
        await BridgeRepository(uow).touch(cmd.bridge_id)
        record = OrderRecord(id=order.id, org_id=order.org_id, project_id=order.project_id, case_id=order.case_id,
                             order_number=order.order_number)
        uow.track(record)
        record.evaluated(cmd.evaluation, by=uow.actor)
        await uow.commit({"order_id": str(order.id)})
    evaluated: UUID = order.id
    return evaluated
