"""Sending one delivery, for its `delivery.created` event. Runs in the event consumer's
transaction: the delivery is marked sent in the same transaction as the consumer's mark, so a
worker killed after the send but before the commit sends it again — at least once on the wire,
exactly once in effect for receivers that honour the delivery id (`X-Firstcall-Delivery`, the
e-mail's Message-ID). A failure is recorded on its own and raised, for Dramatiq's backoff.

A delivery goes to a company's channel, or straight to an outside body or a 12345 bridge
(domain/notifications/direct.py); every attempt is logged in `delivery_attempts`. A replay
(`replayDelivery`) is its own event with `replay: true`: it sends a delivery already sent, once."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.notifications.channels import ChannelKind
from tenants.context import TenantScope
from workers import runtime
from workers.senders import DeliveryFailed, Outgoing, send

# A direct delivery is sent to its body's or bridge's address and signed with its secret as they
# are now — a rotated secret or a changed URL holds for retries and replays too; the row keeps
# what it was queued with only as a fallback. A referral withdrawn or answered meanwhile is no
# longer chased; a notice withdrawn meanwhile is no longer announced.
_DELIVERY = text(
    "SELECT d.id, d.status, d.topic, d.title, d.body, d.data, d.event_id, d.channel_id, "
    "  coalesce(c.kind, b.delivery, d.kind) AS kind, "
    "  coalesce(c.target, CASE b.delivery WHEN 'webhook' THEN b.webhook_url WHEN 'email' THEN b.email END, gb.callback_url, "
    "    d.target) AS target, "
    "  coalesce(c.secret_enc, b.secret_enc, gb.secret_enc, d.secret_enc) AS secret_enc, c.per_minute, "
    "  coalesce(c.active, true) AND (r.id IS NULL OR r.status IN ('sent', 'acknowledged')) "
    "  AND (n.id IS NULL OR n.state <> 'withdrawn') AS active "
    "FROM deliveries d LEFT JOIN delivery_channels c ON c.org_id = d.org_id AND c.id = d.channel_id "
    "LEFT JOIN notices n ON d.topic IN ('notice.published', 'notice.recipients') AND n.org_id = d.org_id "
    "  AND n.id = CAST(d.data ->> 'notice_id' AS uuid) "
    "LEFT JOIN referrals r ON d.purpose = 'referral' AND r.org_id = d.org_id AND r.id = d.ref_id "
    "LEFT JOIN outside_bodies b ON b.org_id = r.org_id AND b.id = r.body_id "
    "LEFT JOIN gov_orders g ON d.purpose = 'gov_callback' AND g.org_id = d.org_id AND g.id = d.ref_id "
    "LEFT JOIN gov_bridges gb ON gb.org_id = g.org_id AND gb.id = g.bridge_id "
    "WHERE d.org_id = :o AND d.id = :id"
)
_RECENT = text("SELECT count(*) FROM deliveries WHERE org_id = :o AND channel_id = :c AND sent_at > now() - interval '1 minute'")
_SENT = text(
    "UPDATE deliveries SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL, "
    "  replays = replays + CAST(:replay AS int) WHERE org_id = :o AND id = :id"
)
_FAILED = text("UPDATE deliveries SET attempts = attempts + 1, last_error = :e WHERE org_id = :o AND id = :id")
_ATTEMPT = text(
    "INSERT INTO delivery_attempts (org_id, delivery_id, ok, status_code, error, duration_ms, replay) "
    "VALUES (:o, :id, :ok, :code, :e, :ms, :replay)"
)


class RateLimited(Exception):
    """The channel had its share this minute; the retry comes after a backoff."""


async def send_delivery(conn: AsyncConnection, event: dict[str, Any]) -> None:
    platform = await runtime.platform()
    delivery_id = UUID(event["payload"]["delivery_id"])
    replay = bool(event["payload"].get("replay"))
    org = UUID(event["org_id"])
    row = (await conn.execute(_DELIVERY, {"o": org, "id": delivery_id})).first()
    if row is None or (row.status == "sent" and not replay) or not row.active or row.kind == "letter":
        return  # gone, done, switched off, no longer wanted, or on paper: nothing to send
    if row.channel_id is not None and (await conn.execute(_RECENT, {"o": org, "c": row.channel_id})).scalar_one() >= row.per_minute:
        raise RateLimited(f"channel {row.channel_id} reached {row.per_minute} a minute")
    message = Outgoing(
        delivery_id=str(row.id), kind=ChannelKind(row.kind), target=row.target,
        secret=platform.cipher.decrypt(row.secret_enc) if row.secret_enc else None, topic=row.topic, title=row.title,
        body=row.body, data=row.data, event_id=str(row.event_id))
    started = time.monotonic()
    try:
        code = await send(message, platform.settings)
    except DeliveryFailed as e:
        async with platform.transaction(TenantScope(org, None, "worker")) as other:
            await other.execute(_FAILED, {"o": org, "id": delivery_id, "e": e.detail()[:500]})
            await other.execute(_ATTEMPT, {"o": org, "id": delivery_id, "ok": False, "code": e.status_code, "e": e.detail()[:1000],
                                           "ms": int((time.monotonic() - started) * 1000), "replay": replay})
        raise
    await conn.execute(_SENT, {"o": org, "id": delivery_id, "replay": int(replay)})
    await conn.execute(_ATTEMPT, {"o": org, "id": delivery_id, "ok": True, "code": code, "e": None,
                                  "ms": int((time.monotonic() - started) * 1000), "replay": replay})
