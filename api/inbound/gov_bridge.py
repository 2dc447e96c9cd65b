"""POST /bridge/12345/{bridge_id}: what a government hotline bridge sends us, signed with the
bridge's secret (api/inbound/signed.py does the signature, the wall and the replay check).

- `{"type": "order", ...}` — a new 工单: it becomes a `gov_12345` case registered by the bridge's
  receiver (首问) and committed at once to the government's deadline, so the case's resolution
  clock and escalation ladder run on that deadline; the order row beside it; `gov_order.received`.
- `{"type": "evaluation", "order_number", "evaluation"}` — the government's verdict on our answer.

The same order number twice is a 409, even under a new delivery id: the government re-sending an
order must not make a second case. The JSON is described in docs/gov-12345.md."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from api.inbound.signed import Source, receive
from domain.cases.commands import RegisterCase
from domain.cases.intake import register_case
from domain.cases.model import Actor
from domain.cases.repository import CaseRepository
from domain.cases.states import Channel
from domain.errors import DomainError, ErrorCode, conflict, invalid, not_found
from domain.events import Event
from domain.gov import repository as gov
from domain.gov.model import FINISHED, Order, check_evaluation, check_order, check_order_number
from domain.outbox import write_audit, write_event
from domain.sla.calendar import CHINA
from tenants.personal_data import mask_phone
from tenants.platform import Platform

# The order's category code if the company uses it, else 其他 — the government's own category
# stays on the order.
_CATEGORY = text("SELECT id FROM case_categories WHERE active AND code = ANY(:codes) "
                 "ORDER BY array_position(CAST(:codes AS text[]), code) LIMIT 1")


def gov_bridge_inbound(platform: Platform):
    async def endpoint(request: Request) -> Response:
        async def work(conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
            kind = payload.get("type")
            if kind == "order":
                return await _order(platform, conn, payload, source)
            if kind == "evaluation":
                return await _evaluation(conn, payload, source)
            raise invalid('type must be "order" or "evaluation".', "type")

        return await receive(platform, request, kind="gov_bridge", source_id=request.path_params["bridge_id"],
                             find=gov.FIND_BRIDGE, secret_of=gov.BRIDGE_SECRET, work=work)

    return endpoint


def _coded(e: DomainError) -> DomainError:
    """Inbound callers read the field in the message: the JSON name, not a GraphQL argument."""
    return DomainError(e.code, f"{e.field}: {e.message}" if e.field and not e.message.startswith(e.field) else e.message, e.field)


async def _order(platform: Platform, conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
    bridge = source.row  # read with its secret, in this transaction
    now = datetime.now(UTC)
    try:
        number = check_order_number(payload.get("order_number"))
        if await gov.order_by_number(conn, source.id, number) is not None:
            raise conflict(f"Order {number} was received before; a new delivery id does not make it a new order.", "order_number")
        order = check_order(payload, city=await gov.city_deadlines(conn, bridge.city), now=now)
    except DomainError as e:
        raise _coded(e) from None
    receiver = Actor(bridge.receiver_id)
    category = (await conn.execute(_CATEGORY, {"codes": [c for c in (order.category_code, "other") if c]})).scalar()
    if category is None:
        raise DomainError(ErrorCode.INVALID_STATE, "The company has no active category 'other' (其他) to file 12345 orders under.")
    description = f"【12345 {order.order_number} · {order.category}】{order.content}"[:5000]
    registered = await register_case(conn, RegisterCase(
        project_id=source.project_id, kind=order.kind, severity=order.severity, channel=Channel.GOV_12345,
        category_id=category, description=description, public_area=order.address[:200] if order.address else None),
        org_id=source.org_id, receiver=receiver, now=now)
    case, case_number = registered.case, registered.number
    # The government's deadline is the promise: the resolution target and its ladder follow it.
    case.commit(order.resolve_due, default_due=order.resolve_due, actor=receiver, now=now)
    await CaseRepository(conn).save(case)
    phone = order.requester_phone
    order_id = await gov.add_order(conn, org_id=source.org_id, project_id=source.project_id, bridge_id=source.id,
                                   case_id=case.id, order=order, phone_enc=platform.cipher.encrypt(phone) if phone else None,
                                   phone_masked=mask_phone(phone) if phone else None)
    await _announce(conn, source, order, order_id, case.id, case_number)
    return {"order_id": str(order_id), "case_number": case_number, "response_due": order.response_due.isoformat(),
            "resolve_due": order.resolve_due.isoformat()}


async def _announce(conn: AsyncConnection, source: Source, order: Order, order_id, case_id, case_number: str) -> None:
    due = order.resolve_due.astimezone(CHINA).strftime("%m-%d %H:%M")
    await write_event(conn, Event(topic="gov_order.received", org_id=source.org_id, project_id=source.project_id, payload={
        "order_id": str(order_id), "case_id": str(case_id), "order_number": order.order_number, "urgency": order.urgency.value,
        "resolve_due": order.resolve_due.isoformat(),
        "summary": f"收到12345工单 {order.order_number}（{order.category}），已生成工单 {case_number}，须于 {due} 前办结。"}))
    await write_audit(conn, org_id=source.org_id, project_id=source.project_id, actor=f"bridge:{source.id}",
                      action="gov_order.received", entity="gov_order", entity_id=order_id,
                      data={"order_number": order.order_number, "case_id": str(case_id), "urgency": order.urgency.value})


async def _evaluation(conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
    try:
        number = check_order_number(payload.get("order_number"))
        evaluation = check_evaluation(payload.get("evaluation"))
    except DomainError as e:
        raise _coded(e) from None
    order = await gov.order_by_number(conn, source.id, number)
    if order is None:
        raise not_found(f"Order {number} of this bridge", "order_number")
    if order.status not in FINISHED:
        raise DomainError(ErrorCode.INVALID_STATE, f"Order {number} has no result or return yet: there is nothing to evaluate.")
    now = datetime.now(UTC)
    await gov.record_evaluation(conn, order.id, evaluation, now)
    label = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}[evaluation.value]
    await write_event(conn, Event(topic="gov_order.evaluated", org_id=source.org_id, project_id=source.project_id, payload={
        "order_id": str(order.id), "case_id": str(order.case_id), "order_number": number, "evaluation": evaluation.value,
        "summary": f"12345工单 {number} 的政府评价：{label}。"}))
    await write_audit(conn, org_id=source.org_id, project_id=source.project_id, actor=f"bridge:{source.id}",
                      action="gov_order.evaluated", entity="gov_order", entity_id=order.id, data={"evaluation": evaluation.value})
    return {"order_id": str(order.id), "order_number": number, "evaluation": evaluation.value}
