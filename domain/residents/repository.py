"""The sign-in's SQL: residents matched by phone or bound WeChat identity, within the key's wall
(row-level security bounds every statement to the key's company and projects), and the binding
of an identity to a resident."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

MAX_SESSIONS = 10

# Not erased, with at least one open stay; the phone on the resident or as a mobile contact.
_LIVING = ("r.erased_at IS NULL AND (CAST(:p AS uuid) IS NULL OR r.project_id = :p) AND EXISTS (SELECT 1 FROM occupancies o "
           "WHERE o.org_id = r.org_id AND o.project_id = r.project_id AND o.resident_id = r.id AND o.moved_out_on IS NULL)")
_BY_PHONE = text(
    "SELECT r.id, r.project_id FROM residents r WHERE r.org_id = :o AND "
    "(r.phone_hash = :h OR r.id IN (SELECT c.resident_id FROM resident_contacts c WHERE c.org_id = :o AND c.value_hash = :h "
    f"AND c.kind = 'mobile')) AND {_LIVING} ORDER BY r.project_id, r.created_at, r.id LIMIT {MAX_SESSIONS}"
)
_BY_IDENTITY = text(
    "SELECT r.id, r.project_id FROM residents r WHERE r.org_id = :o AND r.id IN (SELECT i.resident_id FROM resident_identities i "
    "WHERE i.org_id = :o AND i.value_hash = :h AND i.kind = :k AND i.app_id = :a) "
    f"AND {_LIVING} ORDER BY r.project_id, r.created_at, r.id LIMIT {MAX_SESSIONS}"
)
_BIND = text(
    "INSERT INTO resident_identities (org_id, project_id, resident_id, kind, app_id, value_hash, bound_by) "
    "VALUES (:o, :p, :r, :k, :a, :h, :by) "
    "ON CONFLICT (org_id, project_id, kind, app_id, value_hash, resident_id) "
    "DO UPDATE SET last_seen_at = date_trunc('minute', now()) "
    "WHERE resident_identities.last_seen_at < date_trunc('minute', now())"
)


async def by_phone(conn: AsyncConnection, org_id: UUID, phone_hash: bytes, project_id: UUID | None) -> list[Row[Any]]:
    return list(await conn.execute(_BY_PHONE, {"o": org_id, "h": phone_hash, "p": project_id}))


async def by_identity(conn: AsyncConnection, org_id: UUID, kind: str, app_id: str, value_hash: bytes,
                      project_id: UUID | None) -> list[Row[Any]]:
    return list(await conn.execute(_BY_IDENTITY, {"o": org_id, "k": kind, "a": app_id, "h": value_hash, "p": project_id}))


async def bind(conn: AsyncConnection, org_id: UUID, project_id: UUID, resident_id: UUID, kind: str, app_id: str,
               value_hash: bytes, key_id: UUID) -> None:
    await conn.execute(_BIND, {"o": org_id, "p": project_id, "r": resident_id, "k": kind, "a": app_id, "h": value_hash,
                               "by": key_id})


# -- the resident's own cases ----------------------------------------------------------------------

_REPORTED = text(
    "SELECT count(*) FILTER (WHERE received_at >= :day) AS today, count(*) AS month FROM cases "
    "WHERE org_id = :o AND reporter_resident_id = :r AND received_at >= :month"
)
_RATING_ON = text("SELECT resident_rating FROM projects WHERE org_id = :o AND id = :p")
# Not erased, with a flat they still live in: read live, as a token outlives a move-out or an erasure.
_STILL_LIVING = text(
    "SELECT EXISTS (SELECT 1 FROM occupancies o JOIN residents r ON r.org_id = o.org_id AND r.id = o.resident_id "
    "WHERE o.org_id = :o AND o.resident_id = :r AND o.moved_out_on IS NULL AND r.erased_at IS NULL)"
)


async def reported_since(conn: AsyncConnection, org_id: UUID, resident_id: UUID, day: Any, month: Any) -> Row[Any]:
    """(today, month): the cases the resident reported since the start of the day and of the month."""
    return (await conn.execute(_REPORTED, {"o": org_id, "r": resident_id, "day": day, "month": month})).one()


async def rating_on(conn: AsyncConnection, org_id: UUID, project_id: UUID) -> bool:
    return bool((await conn.execute(_RATING_ON, {"o": org_id, "p": project_id})).scalar_one_or_none())


async def still_living(conn: AsyncConnection, org_id: UUID, resident_id: UUID) -> bool:
    return bool((await conn.execute(_STILL_LIVING, {"o": org_id, "r": resident_id})).scalar())
