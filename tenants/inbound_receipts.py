"""Receipts of signed inbound requests (api/inbound/signed.py): the delivery id is the idempotency
key, the first answer is kept, and a lock on the key makes a replay wait for the first request to
commit or roll back. All inside the source's tenant wall, in the request's own transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
_RECEIPT = text("SELECT answer FROM inbound_receipts WHERE org_id = :o AND source = :s AND delivery_id = :d")
_RECORD = text(
    "INSERT INTO inbound_receipts (org_id, source, delivery_id, answer) VALUES (:o, :s, :d, CAST(:a AS jsonb)) "
    "ON CONFLICT DO NOTHING RETURNING 1"
)


async def lock(conn: AsyncConnection, org_id: UUID, source: str, delivery: str) -> None:
    """Held to the end of the transaction: the same delivery waits here."""
    await conn.execute(_LOCK, {"k": f"{org_id}|{source}|{delivery}"})


async def answer(conn: AsyncConnection, org_id: UUID, source: str, delivery: str) -> dict[str, Any] | None:
    """The answer given to this delivery before, if any."""
    row = (await conn.execute(_RECEIPT, {"o": org_id, "s": source, "d": delivery})).first()
    return None if row is None else row.answer


async def record(conn: AsyncConnection, org_id: UUID, source: str, delivery: str, given: dict[str, Any]) -> bool:
    """False: the same delivery was recorded meanwhile (by a request that did not wait on the lock)."""
    return (await conn.execute(_RECORD, {"o": org_id, "s": source, "d": delivery,
                                         "a": orjson.dumps(given, default=str).decode()})).first() is not None
