from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import strawberry
from sqlalchemy import text as sql

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovOrder, gov_order
from api.graphql.types.node import from_global_id
from domain.cases.model import Actor, WrittenReply
from domain.cases.repository import CaseRepository
from domain.errors import DomainError, forbidden, not_found
from domain.events import Event
from domain.gov import repository as gov
from domain.gov.model import ANSWER_LABELS, AnswerKind, check_answer
from domain.notifications.direct import queue_direct
from domain.outbox import write_audit, write_event
from domain.wording import sentence
from tenants.roles import Permission

GovAnswerKind = strawberry.enum(AnswerKind, name="GovAnswerKind", description="回复类型 Progress, the result, or not within our remit.")
_CASE_NUMBER = sql("SELECT number FROM cases WHERE id = :c")
_BODY = sql("SELECT id, name FROM outside_bodies WHERE id = :b AND project_id = :p")
RETURN_BASIS = "12345 退单"


@strawberry.type
class GovOrderPayload:
    order: GovOrder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(
    permission_classes=[Requires(Permission.GOV_ORDER_ANSWER)],
    description="回复12345 Answer an order back through its bridge, signed: progress any time before the result; the result once "
                "the case is resolved; RETURNED (不属于本单位职责) with its reason, by a supervisor — it also declines the case "
                "with a written reply.")
async def answer_gov_order(info: Info, order_id: strawberry.ID, kind: GovAnswerKind, text: str | None = None,
                           reason: str | None = None, body_id: strawberry.ID | None = None,
                           idempotency_key: IdempotencyKey = None) -> GovOrderPayload:
    try:
        oid = from_global_id(order_id, "GovOrder", "orderId")
        body = from_global_id(body_id, "OutsideBody", "bodyId") if body_id else None
        p = info.context.require()

        async def work(conn) -> dict:
            order = await gov.order_for_update(conn, oid)
            if order is None:
                raise not_found("The 12345 order", "orderId")
            require_on(info, Permission.GOV_ORDER_ANSWER, order.project_id)
            repo = CaseRepository(conn)
            case = await repo.get_for_update(order.case_id)
            if case is None:
                raise not_found("The order's case", "orderId")
            now = datetime.now(UTC)
            answer = check_answer(AnswerKind(kind.value), order_status=order.status, case_state=case.state, text=text,
                                  reason=reason, now=now)
            named = None
            if answer.kind is AnswerKind.RETURNED:
                actor = Actor(p.id, supervisor=p.can(Permission.CASE_SUPERVISE, order.project_id))
                if not actor.supervisor:
                    raise forbidden("Returning a 12345 order declines its case: that needs a customer-service supervisor.")
                if body is not None:
                    named = (await conn.execute(_BODY, {"b": body, "p": order.project_id})).first()
                    if named is None:
                        raise not_found("The outside body of this project", "bodyId")
                elsewhere = f"请转交{named.name}办理" if named else "请12345热线转交有关职能部门办理"
                case.request_decline(answer.text, actor=actor, now=now)
                case.approve_decline(WrittenReply(answer.text, RETURN_BASIS, (elsewhere,)), actor=actor, now=now)
                await repo.save(case)
            await gov.record_answer(conn, oid, answer, named.id if named else None)
            await _send(conn, order, answer, (await conn.execute(_CASE_NUMBER, {"c": order.case_id})).scalar_one())
            await write_audit(conn, org_id=p.org_id, project_id=order.project_id, actor=p.actor, action="gov_order.answered",
                              entity="gov_order", entity_id=oid, note=answer.text, data={"answer": answer.kind.value})
            return {"order_id": str(oid)}

        await write(info, lambda conn: once(info, conn, idempotency_key, "answerGovOrder", {
            "orderId": order_id, "kind": kind.value, "text": text, "reason": reason, "bodyId": body_id}, work))
    except DomainError as e:
        return GovOrderPayload(errors=[UserError.of(e)])
    return GovOrderPayload(order=await gov_order(info, oid))


async def _send(conn, order, answer, case_number: str) -> None:
    """The signed callback to the bridge (sent by the delivery worker after the commit) and the event."""
    bridge = await gov.bridge(conn, order.bridge_id)
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
