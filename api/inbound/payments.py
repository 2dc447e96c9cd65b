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

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from api.graphql.types.node import parse_global_id, to_global_id
from api.inbound.signed import Source, receive, unit_of_work
from domain.errors import invalid
from domain.fees import inbound_payments
from domain.fees.commands import ReceivePaid, ReceiveRefund
from domain.fees.integration_repository import FIND_INTEGRATION, INTEGRATION_SECRET
from domain.fees.kinds import PayMethod
from domain.fees.money import MAX_FEN
from tenants.platform import Platform


def _id(payload: dict[str, Any], field: str, type_name: str) -> UUID:
    value = payload.get(field)
    if not isinstance(value, str):
        raise invalid(f"须为 {type_name} 的 ID：{field}。{field} must be the id of a {type_name}.", field)
    try:
        return UUID(value)
    except ValueError:
        pass
    named, raw = parse_global_id(value, field)
    if named != type_name:
        raise invalid(f"须为 {type_name} 的 ID：{field}。{field} must be the id of a {type_name}.", field)
    return raw


def _text_id(payload: dict[str, Any], field: str) -> str:
    value = payload.get(field)
    if not (isinstance(value, str) and 1 <= len(value) <= 100 and value.isascii() and value.isprintable()):
        raise invalid(f"须为 1 到 100 个 ASCII 字符：{field}。{field} must be 1–100 printable ASCII characters.", field)
    return value


def _fen(payload: dict[str, Any], field: str) -> int:
    value = payload.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_FEN:
        raise invalid(f"金额须为大于 0 的整数（分）：{field}。{field} must be a whole number of fen above zero.", field)
    return value


def _when(payload: dict[str, Any], field: str) -> datetime:
    value = payload.get(field)
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else _bad_when(field)
    except ValueError:
        return _bad_when(field)


def _bad_when(field: str) -> datetime:
    raise invalid(f"时间须为 ISO 8601 格式，例如 2026-12-07T10:15:00+08:00：{field}。"
                  f"{field} must be an ISO 8601 time with its offset.", field)


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
    return ReceivePaid(integration_id=source.id, project_id=source.project_id, transaction_id=_text_id(payload, "transaction_id"),
                       paid_at=_when(payload, "paid_at"), amount_fen=_fen(payload, "amount_fen"), method=method,
                       unit_id=_id(payload, "unit_id", "Unit"),
                       bills=tuple((_id(b, "bill_id", "Bill"), _fen(b, "amount_fen")) for b in bills))


def _refund(payload: dict[str, Any], source: Source) -> ReceiveRefund:
    return ReceiveRefund(integration_id=source.id, project_id=source.project_id,
                         transaction_id=_text_id(payload, "transaction_id"), refund_id=_text_id(payload, "refund_id"),
                         amount_fen=_fen(payload, "amount_fen"), refunded_at=_when(payload, "refunded_at"))


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


def receive_payment(platform: Platform):
    async def endpoint(request: Request) -> Response:
        return await receive(platform, request, kind="payment_integration", source_id=request.path_params["integration_id"],
                             find=FIND_INTEGRATION, secret_of=INTEGRATION_SECRET, work=_work)

    return endpoint
