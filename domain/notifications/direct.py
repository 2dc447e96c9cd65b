"""Messages addressed straight to someone outside — an outside body (转办函, its reminders) or a
12345 bridge (the answer back) — rather than to a company's channels. They are deliveries like
any other: written in the caller's unit of work with a `delivery.created` event, sent after the
commit by the same worker, signed the same way, retried and logged the same way. A letter is
not sent: it waits to be printed (`status = 'pending'` until staff record it as printed)."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import text

from domain.events import Event
from domain.unit_of_work import UnitOfWork

KINDS = ("webhook", "email", "letter")
PURPOSES = ("referral", "gov_callback")

_INSERT = text(
    "INSERT INTO deliveries (org_id, project_id, event_id, topic, title, body, data, kind, target, secret_enc, purpose, "
    "  ref_id, dedupe_key) "
    "VALUES (:o, :p, :e, :topic, :title, :body, CAST(:data AS jsonb), :kind, :target, :secret, :purpose, :ref, :key) "
    "ON CONFLICT (org_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id"
)


async def queue_direct(uow: UnitOfWork, *, org_id: UUID, project_id: UUID | None, purpose: str, ref_id: UUID,
                       kind: str, target: str, secret_enc: bytes | None, topic: str, title: str, body: str,
                       data: dict[str, Any], dedupe_key: str) -> UUID | None:
    """The new delivery's id, or None when `dedupe_key` was queued before (a retried sweep or a
    replayed inbound request): nothing is sent twice. `secret_enc` is the cipher's encryption of
    the signing secret, as stored on the body or bridge."""
    if kind not in KINDS or purpose not in PURPOSES:
        raise ValueError(f"unknown delivery kind {kind!r} or purpose {purpose!r}")
    event_id = uuid.uuid4()  # the delivery.created event that sends it (none for a letter)
    row = (await uow.conn.execute(_INSERT, {
        "o": org_id, "p": project_id, "e": event_id, "topic": topic, "title": title[:200], "body": body[:2000],
        "data": orjson.dumps(data, default=str).decode(), "kind": kind, "target": target, "secret": secret_enc,
        "purpose": purpose, "ref": ref_id, "key": dedupe_key[:200]})).first()
    if row is None:
        return None
    if kind != "letter":
        uow.record(Event(topic="delivery.created", org_id=org_id, project_id=project_id,
                         payload={"delivery_id": str(row.id)}, id=event_id))
    delivery_id: UUID = row.id
    return delivery_id
