"""POST /bridge/12345/{bridge_id}: what a government hotline bridge sends us, signed with the
bridge's secret (api/inbound/signed.py does the signature, the wall and the replay check).

- `{"type": "order", ...}` — a new 工单: it becomes a `gov_12345` case registered by the bridge's
  receiver (首问) and committed at once to the government's deadline, so the case's resolution
  clock and escalation ladder run on that deadline; the order row beside it; `gov_order.received`.
- `{"type": "evaluation", "order_number", "evaluation"}` — the government's verdict on our answer.

The same order number twice is a 409, even under a new delivery id: the government re-sending an
order must not make a second case. The JSON is described in docs/gov-12345.md; the use cases are
domain/gov/service.py's, in the request's own transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from api.inbound.signed import Source, receive, unit_of_work
from domain.errors import DomainError, invalid
from domain.gov import repository as gov
from domain.gov import service
from domain.gov.commands import ReceiveEvaluation, ReceiveOrder, SeenBridge
from domain.gov.model import check_evaluation, check_order_number, in_message
from tenants.platform import Platform


def gov_bridge_inbound(platform: Platform):
    async def endpoint(request: Request) -> Response:
        async def work(conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
            kind = payload.get("type")
            uow = unit_of_work(conn, source, actor=f"bridge:{source.id}")
            if kind == "order":
                seen = SeenBridge(source.id, source.project_id, source.row.city, source.row.receiver_id)
                got = await service.receive_order(ReceiveOrder(source.id, payload, seen), uow, cipher=platform.cipher)
                return {"order_id": str(got.order_id), "case_number": got.case_number,
                        "response_due": got.response_due.isoformat(), "resolve_due": got.resolve_due.isoformat()}
            if kind == "evaluation":
                cmd = _evaluation(payload, source)
                order_id = await service.receive_evaluation(cmd, uow)
                return {"order_id": str(order_id), "order_number": cmd.order_number, "evaluation": cmd.evaluation.value}
            raise invalid('类型 type 只能是 order 或 evaluation。type must be "order" or "evaluation".', "type")

        return await receive(platform, request, kind="gov_bridge", source_id=request.path_params["bridge_id"],
                             find=gov.FIND_BRIDGE, secret_of=gov.BRIDGE_SECRET, work=work)

    return endpoint


def _evaluation(payload: dict[str, Any], source: Source) -> ReceiveEvaluation:
    try:
        return ReceiveEvaluation(source.id, check_order_number(payload.get("order_number")),
                                 check_evaluation(payload.get("evaluation")))
    except DomainError as e:
        raise in_message(e) from None
