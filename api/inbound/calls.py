"""POST /inbound/calls/{integration_id}: a call a telephony system tells us of once it has ended,
signed with the integration's own secret (api/inbound/signed.py does the signature, the wall and
the delivery-id replay check). The JSON (docs/webhooks.md, "Inbound: call records"):

`{"id": <delivery id>, "call_id", "direction": "in" | "out", "caller_phone", "queued_at",
"answered_at" | null, "ended_at", "agent_username"?, "case_id"?}`

Here the JSON is only read into a command; the use case is domain/calls/inbound.py's, in the
request's own transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from api.graphql.types.node import to_global_id
from api.inbound.fields import global_id, text_id, when
from api.inbound.signed import Source, integration_endpoint, unit_of_work
from domain.calls import inbound
from domain.calls.commands import ReceiveCall
from domain.calls.repository import TELEPHONY
from domain.errors import invalid
from tenants.platform import Platform


def _call(payload: dict[str, Any], source: Source) -> ReceiveCall:
    direction = payload.get("direction")
    if direction not in ("in", "out"):
        raise invalid('呼叫方向 direction 只能是 in 或 out。direction must be "in" or "out".', "direction")
    phone = payload.get("caller_phone")
    if not isinstance(phone, str):
        raise invalid("来电号码 caller_phone 须为号码字符串。caller_phone must be the number as a string.", "caller_phone")
    agent = payload.get("agent_username")
    if agent is not None and not (isinstance(agent, str) and 1 <= len(agent) <= 64):
        raise invalid("坐席 agent_username 须为坐席的用户名。agent_username must be the agent's username.", "agent_username")
    return ReceiveCall(integration_id=source.id, project_id=source.project_id, external_id=text_id(payload, "call_id"),
                       direction=direction, caller_phone=phone, queued_at=when(payload, "queued_at"),
                       answered_at=when(payload, "answered_at") if payload.get("answered_at") is not None else None,
                       ended_at=when(payload, "ended_at"), agent_username=agent,
                       case_id=global_id(payload, "case_id", "Case") if payload.get("case_id") is not None else None)


def receive_call(platform: Platform) -> Callable[[Request], Awaitable[Response]]:
    async def work(conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
        arrived = await inbound.receive_call(_call(payload, source), unit_of_work(conn, source, actor=source.label),
                                             cipher=platform.cipher)
        return {"call_record_id": str(to_global_id("CallRecord", arrived.call_id)), "duplicate": arrived.duplicate}

    return integration_endpoint(platform, TELEPHONY, work)
