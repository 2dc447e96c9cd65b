"""POST /inbound/bodies/{body_id}: an outside body's signed acknowledgement or answer on a
referral we sent it, `{"referral_id": "<data.referral_id of our message>", "type":
"acknowledged" | "answered", "note" | "outcome": "…"}`. Signed with the body's own secret; a
body can only speak of its own referrals — another's id is not found, as an unknown one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from api.inbound.signed import Source, receive
from domain.errors import invalid
from domain.referrals import repository
from domain.referrals.model import Feedback
from domain.referrals.repository import Who
from tenants.platform import Platform

_FIND = text("SELECT org_id, project_id FROM outside_body_tenant(:id)")
# A body switched off gets no new referrals, but may still answer those it was sent.
_SECRET = text("SELECT secret_enc, true AS active FROM outside_bodies WHERE id = :id")


async def _work(conn: AsyncConnection, payload: dict[str, Any], source: Source) -> dict[str, Any]:
    try:
        referral_id = UUID(str(payload.get("referral_id")))
    except ValueError:
        raise invalid("referral_id must be the referral id we sent (data.referral_id).", "referral_id") from None
    try:
        kind = Feedback(payload.get("type"))
    except ValueError:
        raise invalid('type must be "acknowledged" or "answered".', "type") from None
    words = payload.get("outcome") if kind is Feedback.ANSWERED else payload.get("note")
    if words is not None and not isinstance(words, str):
        raise invalid("note and outcome must be text.", "outcome" if kind is Feedback.ANSWERED else "note")
    r = await repository.referral_for_update(conn, referral_id, body_id=source.id)
    status = await repository.feedback(conn, r, kind, words, Who("inbound", source.label, None), datetime.now(UTC))
    return {"referral_id": str(referral_id), "status": status}


def receive_body_feedback(platform: Platform):
    async def endpoint(request: Request) -> Response:
        return await receive(platform, request, kind="outside_body", source_id=request.path_params["body_id"],
                             find=_FIND, secret_of=_SECRET, work=_work)

    return endpoint
