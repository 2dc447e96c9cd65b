"""Read models of what we tell people: the caller's inbox, delivery channels, the delivery log
with each attempt on the wire, and the dead letters consumers gave up on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.notifications.repository import IN_CALLERS_PROJECTS
from domain.reads import Reader, Row

_ITEMS = text(
    "SELECT id, topic, title, body, case_id, created_at, read_at FROM notifications "
    "WHERE org_id = :o AND user_id = :u AND (NOT :unread OR read_at IS NULL) ORDER BY created_at DESC, id LIMIT :n"
)
_NOTIFICATION = text(
    "SELECT id, topic, title, body, case_id, created_at, read_at FROM notifications WHERE org_id = :o AND id = :id AND user_id = :u"
)
_UNREAD = text("SELECT count(*) FROM notifications WHERE org_id = :o AND user_id = :u AND read_at IS NULL")

# What the Delivery type reads; a channel's kind is on the channel, a direct delivery's on the row.
DELIVERY_SELECT = (
    "SELECT d.id, d.project_id, d.channel_id, d.ref_id, d.purpose, coalesce(c.kind, d.kind) AS kind, d.topic, d.title, "
    "  d.status, d.attempts, d.replays, d.last_error, d.created_at, d.sent_at "
    "FROM deliveries d LEFT JOIN delivery_channels c ON c.org_id = d.org_id AND c.id = d.channel_id "
)
CHANNEL_COLUMNS = "id, project_id, kind, name, target, topics, min_level, per_minute, active, created_at"
_CHANNELS = text(f"SELECT {CHANNEL_COLUMNS} FROM delivery_channels WHERE org_id = :o ORDER BY created_at, id")
_CHANNEL = text(f"SELECT {CHANNEL_COLUMNS} FROM delivery_channels WHERE org_id = :o AND id = :id")
_DELIVERIES = text(DELIVERY_SELECT + f"WHERE d.org_id = :o AND d.channel_id = :c AND {IN_CALLERS_PROJECTS} "
                   "ORDER BY d.created_at DESC, d.id LIMIT :n")
_LOG = text(
    DELIVERY_SELECT + f"WHERE d.org_id = :o AND {IN_CALLERS_PROJECTS} "
    "AND (CAST(:purpose AS text) IS NULL OR d.purpose = :purpose) AND (CAST(:status AS text) IS NULL OR d.status = :status) "
    "AND (CAST(:topic AS text) IS NULL OR d.topic = :topic) AND (CAST(:p AS uuid) IS NULL OR d.project_id = :p) "
    "ORDER BY d.created_at DESC, d.id DESC LIMIT :n"
)
_DELIVERY = text(DELIVERY_SELECT + f"WHERE d.org_id = :o AND d.id = :id AND {IN_CALLERS_PROJECTS}")
_ATTEMPTS = text(
    "SELECT delivery_id, at, ok, status_code, error, duration_ms, replay FROM delivery_attempts "
    "WHERE org_id = :o AND delivery_id = ANY(:ids) ORDER BY at, id"
)

_DEAD_LETTERS = text(
    "SELECT id, event_id, topic, attempts, error, failed_at, retried_at, retried_by FROM dead_letters "
    "WHERE org_id = :o AND (:all OR retried_at IS NULL) ORDER BY failed_at DESC, id LIMIT :n"
)
_DEAD_LETTER = text(
    "SELECT id, event_id, topic, attempts, error, failed_at, retried_at, retried_by FROM dead_letters WHERE org_id = :o AND id = :id"
)


async def inbox_items(db: Reader, user_id: UUID, unread_only: bool, first: int) -> list[Row[Any]]:
    """The person's notifications, newest first."""
    return await db.all(_ITEMS, {"o": db.org_id, "u": user_id, "unread": unread_only, "n": first})


async def own_notification(db: Reader, user_id: UUID, notification_id: UUID) -> Row[Any] | None:
    """One of this person's notifications; None for anyone else's."""
    return await db.first(_NOTIFICATION, {"o": db.org_id, "id": notification_id, "u": user_id})


async def unread_count(db: Reader, user_id: UUID) -> int:
    row = await db.first(_UNREAD, {"o": db.org_id, "u": user_id})
    assert row is not None  # count(*) always answers one row
    count: int = row[0]
    return count


async def channels(db: Reader) -> list[Row[Any]]:
    return await db.all(_CHANNELS, {"o": db.org_id})


async def channel(db: Reader, channel_id: UUID) -> Row[Any] | None:
    return await db.first(_CHANNEL, {"o": db.org_id, "id": channel_id})


async def channel_deliveries(db: Reader, channel_id: UUID, first: int) -> list[Row[Any]]:
    """The channel's deliveries in the caller's projects, newest first."""
    return await db.all(_DELIVERIES, {"o": db.org_id, "c": channel_id, "n": first})


async def delivery_log(db: Reader, *, purpose: str | None, status: str | None, topic: str | None,
                       project_id: UUID | None, first: int) -> list[Row[Any]]:
    """Newest first, across channels and direct deliveries, in the caller's projects."""
    return await db.all(_LOG, {"o": db.org_id, "purpose": purpose, "status": status, "topic": topic, "p": project_id, "n": first})


async def delivery_row(db: Reader, delivery_id: UUID) -> Row[Any] | None:
    """One delivery, if the caller's projects include it."""
    return await db.first(_DELIVERY, {"o": db.org_id, "id": delivery_id})


async def attempts_of_deliveries(db: Reader, delivery_ids: Sequence[UUID]) -> list[Row[Any]]:
    """Every attempt of the deliveries, oldest first."""
    return await db.all(_ATTEMPTS, {"o": db.org_id, "ids": list(delivery_ids)})


async def dead_letters(db: Reader, include_retried: bool, first: int) -> list[Row[Any]]:
    """Newest failure first."""
    return await db.all(_DEAD_LETTERS, {"o": db.org_id, "all": include_retried, "n": first})


async def dead_letter(db: Reader, letter_id: UUID) -> Row[Any] | None:
    return await db.first(_DEAD_LETTER, {"o": db.org_id, "id": letter_id})
