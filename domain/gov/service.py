"""12345 use cases, each in the caller's unit of work (its tenant wall): claim the idempotency key,
load (locked) what changes, check the permission on its project, apply the rule, save, commit —
the unit of work writes the audit rows and events. A signing secret made here is returned to be
shown once; it is never in an idempotency result, an audit row or an event."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.model import Actor
from domain.cases.repository import CaseRepository
from domain.errors import not_found
from domain.gov import repository as gov
from domain.gov.commands import AddGovBridge, AnswerOrder, RotateGovBridgeSecret, SetGovBridgeActive, SetGovCityDeadlines
from domain.gov.model import (
    ANSWER_LABELS, Answer, AnsweredOrder, AnswerKind, CityDeadlines, GovBridge, check_answer, check_returner, return_reply,
)
from domain.gov.repository import BridgeRepository
from domain.notifications.direct import queue_direct
from domain.signing import Encrypts, signing_secret
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission


async def add_gov_bridge(cmd: AddGovBridge, uow: UnitOfWork, *, cipher: Encrypts,
                         allow_loopback: bool) -> tuple[UUID, str | None]:
    """The new bridge's id and its signing secret (None on a replayed key: shown once)."""
    uow.require(Permission.GOV_BRIDGE_MANAGE, cmd.project_id)
    secret, stored = signing_secret(cipher)
    bridge = GovBridge.add(org_id=uow.org_id, project_id=cmd.project_id, name=cmd.name, city=cmd.city,
                           callback_url=cmd.callback_url, receiver_id=cmd.receiver_id, secret_enc=stored,
                           allow_loopback=allow_loopback, by=uow.actor)
    async with uow:
        request = {"project_id": str(cmd.project_id), "name": cmd.name, "city": cmd.city, "callback_url": cmd.callback_url,
                   "receiver_id": str(cmd.receiver_id)}
        if (done := await uow.claim(cmd.idempotency_key, "addGovBridge", request)) is not None:
            return UUID(done["bridge_id"]), None
        bridges = BridgeRepository(uow)
        await bridges.check_place(cmd.project_id, cmd.receiver_id)
        await bridges.add(bridge)
        await uow.commit({"bridge_id": str(bridge.id)})
    return bridge.id, secret


async def set_gov_bridge_active(cmd: SetGovBridgeActive, uow: UnitOfWork) -> UUID:
    async with uow:
        request = {"bridgeId": str(cmd.bridge_id), "active": cmd.active}
        if (done := await uow.claim(cmd.idempotency_key, "setGovBridgeActive", request)) is not None:
            return UUID(done["bridge_id"])
        bridges = BridgeRepository(uow)
        bridge = await bridges.get(cmd.bridge_id)
        uow.require(Permission.GOV_BRIDGE_MANAGE, bridge.project_id)
        bridge.switch(cmd.active, by=uow.actor)
        await bridges.save(bridge)
        await uow.commit({"bridge_id": str(bridge.id)})
    return bridge.id


async def rotate_gov_bridge_secret(cmd: RotateGovBridgeSecret, uow: UnitOfWork, *, cipher: Encrypts) -> tuple[UUID, str | None]:
    """The new secret, in force at once both ways (None on a replayed key: shown once)."""
    async with uow:
        if (done := await uow.claim(cmd.idempotency_key, "rotateGovBridgeSecret", {"bridgeId": str(cmd.bridge_id)})) is not None:
            return UUID(done["bridge_id"]), None
        bridges = BridgeRepository(uow)
        bridge = await bridges.get(cmd.bridge_id)
        uow.require(Permission.GOV_BRIDGE_MANAGE, bridge.project_id)
        secret, stored = signing_secret(cipher)
        bridge.rotate_secret(stored, by=uow.actor)
        await bridges.save(bridge)
        await uow.commit({"bridge_id": str(bridge.id)})
    return bridge.id, secret


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
        order = await gov.order_for_update(conn, cmd.order_id)
        if order is None:
            raise not_found("The 12345 order", "orderId")
        uow.require(Permission.GOV_ORDER_ANSWER, order.project_id)
        repo = CaseRepository(conn)
        case = await repo.get_for_update(order.case_id)
        if case is None:
            raise not_found("The order's case", "orderId")
        now = now or datetime.now(UTC)
        answer = check_answer(cmd.kind, order_status=order.status, case_state=case.state, text=cmd.text, reason=cmd.reason,
                              now=now)
        named = None
        if answer.kind is AnswerKind.RETURNED:
            actor = Actor(cmd.actor_id, supervisor=uow.may(Permission.CASE_SUPERVISE, order.project_id))
            check_returner(actor)
            if cmd.body_id is not None:
                named = await gov.project_body(conn, cmd.body_id, order.project_id)
                if named is None:
                    raise not_found("The outside body of this project", "bodyId")
            case.request_decline(answer.text, actor=actor, now=now)
            case.approve_decline(return_reply(answer, named.name if named else None), actor=actor, now=now)
            await repo.save(case)
        await gov.record_answer(conn, cmd.order_id, answer, named.id if named else None)
        await _callback(conn, order, answer, await gov.case_number(conn, order.case_id))
        answered = AnsweredOrder(id=order.id, org_id=order.org_id, project_id=order.project_id, case_id=order.case_id,
                                 order_number=order.order_number)
        uow.track(answered)
        answered.answered(answer, by=uow.actor)
        await uow.commit({"order_id": str(cmd.order_id)})
    return cmd.order_id


async def _callback(conn: AsyncConnection, order, answer: Answer, case_number: str) -> None:
    """The signed callback to the bridge, sent by the delivery worker after the commit."""
    bridge = await gov.bridge(conn, order.bridge_id)
    assert bridge is not None  # an order's bridge is never deleted (a foreign key)
    field = "reason" if answer.kind is AnswerKind.RETURNED else "text"
    label = ANSWER_LABELS[answer.kind].split(" ")[0]
    data = {"order_number": order.order_number, "answer": answer.kind.value, field: answer.text, "at": answer.at.isoformat(),
            "case_number": case_number}
    # A result or a return happens once per order; each progress note is its own message.
    key = f"gov:{order.id}:{answer.kind.value}" + (f":{answer.at.isoformat()}" if answer.kind is AnswerKind.PROGRESS else "")
    await queue_direct(conn, org_id=order.org_id, project_id=order.project_id, purpose="gov_callback", ref_id=order.id,
                       kind="webhook", target=bridge.callback_url, secret_enc=bridge.secret_enc, topic="gov_order.answered",
                       title=f"12345工单 {order.order_number} {label}", body=answer.text, data=data, dedupe_key=key)
