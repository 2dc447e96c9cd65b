"""Idempotency keys for mutations: the same key and input return the first result; the same key
with other input is a CONFLICT; keys live 48 hours. The key row is claimed in the mutation's own
transaction, so a failed mutation leaves no key behind and may be retried."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants import direct
from tenants.errors import conflict, invalid

_CLAIM = text(
    "INSERT INTO idempotency_keys (org_id, principal, key, operation, request_hash) VALUES (:o, :p, :k, :op, :h) "
    "ON CONFLICT DO NOTHING RETURNING 1"
)
_REMEMBER = text("UPDATE idempotency_keys SET response = CAST(:r AS jsonb) WHERE org_id = :o AND principal = :p AND key = :k")
_EXISTING = text(
    "SELECT operation, request_hash, response, expires_at < now() AS expired FROM idempotency_keys "
    "WHERE org_id = :o AND principal = :p AND key = :k FOR UPDATE"
)


def request_hash(operation: str, payload: dict[str, Any]) -> bytes:
    return hashlib.sha256(operation.encode() + b"\0" + orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)).digest()


async def claim(conn: AsyncConnection, *, org_id: UUID, principal: str, key: str, operation: str,
                payload: dict[str, Any]) -> dict[str, Any] | None:
    """None: go ahead (and call `remember`). A dict: the stored result to replay."""
    if not 1 <= len(key) <= 255:
        raise invalid("幂等键 idempotencyKey 须为 1 到 255 个字符。idempotencyKey must have 1–255 characters.", "idempotencyKey")
    h = request_hash(operation, payload)
    params = {"o": org_id, "p": principal, "k": key, "op": operation, "h": h}
    # A concurrent request with the same key waits here until the first one commits or rolls back.
    # Claimed and remembered on every keyed mutation: past SQLAlchemy (tenants/direct.py).
    if await direct.first(conn, _CLAIM, params) is not None:
        return None
    row = (await conn.execute(_EXISTING, params)).one()
    if row.expired:
        await conn.execute(text("UPDATE idempotency_keys SET operation = :op, request_hash = :h, response = NULL, "
                                "created_at = now(), expires_at = now() + interval '48 hours' "
                                "WHERE org_id = :o AND principal = :p AND key = :k"), params)
        return None
    if row.operation != operation or bytes(row.request_hash) != h:
        raise conflict("此幂等键已用于不同的输入，请使用新的键。"
                       "This idempotency key was used with different input; use a new key.", "idempotencyKey")
    response: dict[str, Any] | None = row.response
    return response


async def remember(conn: AsyncConnection, *, org_id: UUID, principal: str, key: str, response: dict[str, Any]) -> None:
    await direct.run(conn, _REMEMBER, {"o": org_id, "p": principal, "k": key, "r": orjson.dumps(response).decode()})
