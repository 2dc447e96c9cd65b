"""12345 use cases; each runs inside the caller's transaction (its tenant wall)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.model import Actor
from domain.cases.repository import CaseRepository
from domain.errors import not_found
from domain.events import Event
from domain.gov import repository as gov
from domain.gov.commands import AnswerOrder
from domain.gov.model import ANSWER_LABELS, Answer, AnswerKind, check_answer, check_returner, return_reply
from domain.notifications.direct import queue_direct
from domain.outbox import write_audit, write_event
from domain.wording import sentence
from tenants.principal import Principal
from tenants.roles import Permission


async def answer_order(conn: AsyncConnection, cmd: AnswerOrder, *, principal: Principal,
                       authorize: Callable[[UUID], None], now: datetime | None = None) -> dict[str, Any]:
    """The answer goes back signed through the order's bridge; a return also declines the case.
    `authorize(project_id)` is the caller's check that it may answer on the order's project
    (NOT_FOUND outside its reach, FORBIDDEN without the permission), made once the order is found."""
    order = await gov.order_for_update(conn, cmd.order_id)
    if order is None:
        raise not_found("The 12345 order", "orderId")
    authorize(order.project_id)
    repo = CaseRepository(conn)
    case = await repo.get_for_update(order.case_id)
    if case is None:
        raise not_found("The order's case", "orderId")
    now = now or datetime.now(UTC)
    answer = check_answer(cmd.kind, order_status=order.status, case_state=case.state, text=cmd.text, reason=cmd.reason,
                          now=now)
    named = None
    if answer.kind is AnswerKind.RETURNED:
        actor = Actor(principal.id, supervisor=principal.can(Permission.CASE_SUPERVISE, order.project_id))
        check_returner(actor)
        if cmd.body_id is not None:
            named = await gov.project_body(conn, cmd.body_id, order.project_id)
            if named is None:
                raise not_found("The outside body of this project", "bodyId")
        case.request_decline(answer.text, actor=actor, now=now)
        case.approve_decline(return_reply(answer, named.name if named else None), actor=actor, now=now)
        await repo.save(case)
    await gov.record_answer(conn, cmd.order_id, answer, named.id if named else None)
    await _send(conn, order, answer, await gov.case_number(conn, order.case_id))
    await write_audit(conn, org_id=principal.org_id, project_id=order.project_id, actor=principal.actor,
                      action="gov_order.answered", entity="gov_order", entity_id=cmd.order_id, note=answer.text,
                      data={"answer": answer.kind.value})
    return {"order_id": str(cmd.order_id)}


async def _send(conn: AsyncConnection, order: Row, answer: Answer, case_number: str) -> None:
    """The signed callback to the bridge (sent by the delivery worker after the commit) and the event."""
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
    await write_event(conn, Event(topic="gov_order.answered", org_id=order.org_id, project_id=order.project_id, payload={
        "order_id": str(order.id), "case_id": str(order.case_id), "order_number": order.order_number,
        "answer": answer.kind.value, "summary": f"已向12345回复工单 {order.order_number}（{label}）：{sentence(answer.text[:60])}"}))
