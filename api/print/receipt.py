"""GET /print/receipts/{paymentId}: 收据, a payment as a half-page A4 receipt — the company, the
flat, each bill it paid (item, month, amount), credit kept, the total in figures and in 大写.
The rows come from domain/fees/receipt_read.py; fee:read on the payment's project. Same guards
and headers as the other printed pages."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.graphql.types.node import from_global_id
from api.print.routes import _HEADERS, caller, coded, error_response, guarded_read
from api.print.templating import render as render_template
from domain.errors import DomainError, ErrorCode
from domain.fees.kinds import METHOD_LABELS, PayMethod
from domain.fees.money import capitals, yuan
from domain.fees.receipt_read import receipt
from domain.sla.calendar import CHINA
from tenants.platform import Platform
from tenants.roles import Permission


def render(head: Any, lines: list[Any]) -> str:
    return render_template(
        "receipt.html", receipt_no=head.receipt_no, org_name=head.org_name, project_name=head.project_name,
        unit_label=head.unit_label, paid_date=f"{head.paid_at.astimezone(CHINA):%Y年%m月%d日}",
        reversed=head.reversed_at is not None, refund=head.kind == "refund",
        lines=[{"item": r.item_name, "period": f"{r.period:%Y年%m月}", "amount": yuan(r.amount_fen)} for r in lines],
        credit=yuan(head.unallocated_fen) if head.unallocated_fen else "", total=yuan(head.amount_fen),
        capitals=capitals(head.amount_fen), method=METHOD_LABELS[PayMethod(head.method)], invoice_no=head.invoice_no,
        note=head.note)


def print_receipt(platform: Platform):
    async def endpoint(request: Request) -> Response:
        principal = await caller(platform, request, Permission.FEE_READ, "to print a receipt")
        if isinstance(principal, Response):
            return principal
        try:
            payment_id = from_global_id(request.path_params["payment_id"], "Payment", "id")
        except DomainError as e:
            return coded(e)
        found: Any = await guarded_read(platform, principal.scope, lambda db: receipt(db, payment_id))
        if isinstance(found, Response):
            return found
        if found is None or not principal.can(Permission.FEE_READ, found[0].project_id):
            return error_response(404, ErrorCode.NOT_FOUND, "收款不存在或您无权查看。The payment was not found or is not visible to you.")
        return HTMLResponse(render(*found), headers=_HEADERS)

    return endpoint
