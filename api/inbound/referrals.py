"""POST /inbound/bodies/{body_id}: an outside body's signed acknowledgement or answer on a
referral we sent it, `{"referral_id": "<data.referral_id of our message>", "type":
"acknowledged" | "answered", "note" | "outcome": "…"}`. Signed with the body's own secret; a
body can only speak of its own referrals — another's id is not found, as an unknown one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from api.inbound.signed import Source, receive, unit_of_work
from domain.errors import invalid
from domain.referrals import repository, service
from domain.referrals.commands import ReceiveBodyFeedback
from domain.referrals.model import Feedback
from tenants.platform import Platform

def _command(payload: dict[str, Any], source: Source) -> ReceiveBodyFeedback:
    try:
        referral_id = UUID(str(payload.get("referral_id")))
    except ValueError:
        raise invalid("转办编号 referral_id 须为我方发出的编号。"
                      "referral_id must be the referral id we sent (data.referral_id).", "referral_id") from None
    try:
        kind = Feedback(payload.get("type"))
    except ValueError:
        raise invalid('类型 type 只能是 acknowledged 或 answered。type must be "acknowledged" or "answered".', "type") from None
    words = payload.get("outcome") if kind is Feedback.ANSWERED else payload.get("note")
    if words is not None and not isinstance(words, str):
        raise invalid("备注和结果（note、outcome）须为文本。"
                      "note and outcome must be text.", "outcome" if kind is Feedback.ANSWERED else "note")
    return ReceiveBodyFeedback(body_id=source.id, referral_id=referral_id, feedback=kind, words=words)


async def _work(conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
    cmd = _command(payload, source)
    status = await service.receive_body_feedback(cmd, unit_of_work(conn, source, actor=source.label))
    return {"referral_id": str(cmd.referral_id), "status": status}


def receive_body_feedback(platform: Platform):
    async def endpoint(request: Request) -> Response:
        return await receive(platform, request, kind="outside_body", source_id=request.path_params["body_id"],
                             find=repository.FIND_BODY, secret_of=repository.BODY_SECRET, work=_work)

    return endpoint
