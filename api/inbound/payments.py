"""POST /inbound/payments/{integration_id}: what a payment integrator tells us, signed with the
integration's own secret (api/inbound/signed.py does the signature, the wall and the delivery-id
replay check). The JSON is described in docs/owner-app.md ("Paying"):

- `{"type": "paid", "transaction_id", "paid_at", "amount_fen", "method", "unit_id", "bills": [{"bill_id",
  "amount_fen"}]}` — money collected for a flat;
- `{"type": "refunded", "transaction_id", "refund_id", "amount_fen", "refunded_at"}` — some of it
  given back.

Here the JSON is only read into a command; the use cases are domain/fees/inbound_payments.py's,
in the request's own transaction. Ids are the API's global ids (`Unit:…`, `Bill:…` as the owner
app reads them); a bare UUID is taken too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from api.graphql.types.node import to_global_id
from api.inbound.fields import global_id, text_id, when
from api.inbound.signed import Source, integration_endpoint, unit_of_work
from domain.errors import invalid
from domain.fees import inbound_payments
from domain.fees.commands import ReceivePaid, ReceiveRefund
from domain.fees.integration_repository import PAYMENT
from domain.fees.kinds import PayMethod
from domain.fees.money import MAX_FEN
from tenants.platform import Platform


def _fen(payload: dict[str, Any], field: str) -> int:
    value = payload.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_FEN:
        raise invalid(f"金额须为大于 0 的整数（分）：{field}。{field} must be a whole number of fen above zero.", field)
    return value


def _paid(payload: dict[str, Any], source: Source) -> ReceivePaid:
    try:
        method = PayMethod(payload.get("method"))
    except ValueError:
        raise invalid("付款方式 method 只能是 wechat、alipay、bank、pos、cash 或 other。method must be one of wechat, alipay, bank, pos, "
                      "cash, other.", "method") from None
    bills = payload.get("bills") or []
    if not isinstance(bills, list) or len(bills) > 200 or not all(isinstance(b, dict) for b in bills):
        raise invalid("账单列表 bills 须为最多 200 个 {bill_id, amount_fen}。bills must be a list of at most 200 "
                      "{bill_id, amount_fen}.", "bills")
    return ReceivePaid(integration_id=source.id, project_id=source.project_id, transaction_id=text_id(payload, "transaction_id"),
                       paid_at=when(payload, "paid_at"), amount_fen=_fen(payload, "amount_fen"), method=method,
                       unit_id=global_id(payload, "unit_id", "Unit"),
                       bills=tuple((global_id(b, "bill_id", "Bill"), _fen(b, "amount_fen")) for b in bills))


def _refund(payload: dict[str, Any], source: Source) -> ReceiveRefund:
    return ReceiveRefund(integration_id=source.id, project_id=source.project_id,
                         transaction_id=text_id(payload, "transaction_id"), refund_id=text_id(payload, "refund_id"),
                         amount_fen=_fen(payload, "amount_fen"), refunded_at=when(payload, "refunded_at"))


async def _work(conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
    kind = payload.get("type")
    uow = unit_of_work(conn, source, actor=source.label)
    if kind == "paid":
        arrived = await inbound_payments.receive_paid(_paid(payload, source), uow)
    elif kind == "refunded":
        arrived = await inbound_payments.receive_refund(_refund(payload, source), uow)
    else:
        raise invalid('类型 type 只能是 paid 或 refunded。type must be "paid" or "refunded".', "type")
    return inbound_payments.answer(arrived, lambda name, value: str(to_global_id(name, value)))


def receive_payment(platform: Platform) -> Callable[[Request], Awaitable[Response]]:
    return integration_endpoint(platform, PAYMENT, _work)
