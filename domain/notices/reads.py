"""通知公告 as staff read them back: a project's notices newest first, one notice with its counts,
the flats that have not read it, and what was sent about it. Under the caller's row-level
security; drafts and pending notices only for callers who may draft or publish there (the API
says which)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.archive.reads import UNIT_COLUMNS, UNIT_FROM
from domain.reads import Reader

NOTICE_COLUMNS = (
    "n.id, n.project_id, n.title, n.body, n.kind, n.audience, n.state, n.publish_at, n.expires_at, n.channel_ids, n.attachments, "
    "n.pinned, n.author, n.approver, n.returned_note, n.published_at, n.withdrawn_at, n.withdrawn_by, n.withdraw_reason, "
    "n.recipient_count, n.created_at, n.updated_at, coalesce(n.published_at, n.publish_at, n.created_at) AS at"
)
# Work in progress (draft, pending) is the drafters' and approvers' only.
_VISIBLE = "(n.state NOT IN ('draft', 'pending') OR :drafts)"
_PAGE = text(
    f"WITH f AS (SELECT {NOTICE_COLUMNS} FROM notices n WHERE n.org_id = :o AND n.project_id = :p AND {_VISIBLE} "
    "  AND (CAST(:state AS text) IS NULL OR n.state = :state) AND (CAST(:kind AS text) IS NULL OR n.kind = :kind)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.at, f.id) < (SELECT a.at, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.at DESC, f.id DESC LIMIT :limit"
)
_ONE = text(f"SELECT {NOTICE_COLUMNS} FROM notices n WHERE n.org_id = :o AND n.id = :id")
_TARGETS = text("SELECT notice_id, building_id, unit_id FROM notice_targets WHERE org_id = :o AND notice_id = ANY(:ns) "
                "ORDER BY notice_id, building_id, unit_id")
_READ_UNITS = text("SELECT notice_id, count(DISTINCT unit_id) AS n FROM notice_reads WHERE org_id = :o AND notice_id = ANY(:ns) "
                   "GROUP BY notice_id")
# 使用App: someone living in the flat now has signed in to the owner app within 180 days (an identity
# bound at sign-in, its last_seen_at moved by each later one): staff phone or visit the others first.
APP_USER = (
    "EXISTS (SELECT 1 FROM occupancies o JOIN resident_identities i ON i.org_id = o.org_id AND i.project_id = o.project_id "
    "  AND i.resident_id = o.resident_id "
    "  WHERE o.org_id = r.org_id AND o.unit_id = r.unit_id AND o.moved_out_on IS NULL "
    "  AND i.last_seen_at > now() - interval '180 days')"
)
# 未读: the flats it reached with no read receipt from anyone living there.
_UNREAD = text(
    f"WITH f AS (SELECT {UNIT_COLUMNS}, b.name AS building_name, {APP_USER} AS app_user FROM notice_recipients r "
    f"  JOIN {UNIT_FROM} ON u.org_id = r.org_id AND u.id = r.unit_id "
    "  WHERE r.org_id = :o AND r.notice_id = :n AND (CAST(:b AS uuid) IS NULL OR u.building_id = :b) "
    "  AND NOT EXISTS (SELECT 1 FROM notice_reads x WHERE x.org_id = r.org_id AND x.notice_id = r.notice_id AND x.unit_id = r.unit_id)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.building_name, f.entrance, f.floor, f.number, f.id) > "
    "  (SELECT a.building_name, a.entrance, a.floor, a.number, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.building_name, f.entrance, f.floor, f.number, f.id LIMIT :limit"
)
_DELIVERIES = text(
    "SELECT d.id, d.topic, d.status, d.attempts, d.sent_at, d.last_error, d.created_at, c.name AS channel_name, c.kind AS channel_kind "
    "FROM deliveries d JOIN delivery_channels c ON c.org_id = d.org_id AND c.id = d.channel_id "
    "WHERE d.org_id = :o AND d.topic LIKE 'notice.%' AND d.data ->> 'notice_id' = :n ORDER BY d.created_at, d.id LIMIT :limit"
)


async def notice_page(db: Reader, project_id: UUID, *, state: str | None, kind: str | None, drafts: bool, after: UUID | None,
                      limit: int) -> list[Row[Any]]:
    """Newest first (published, else scheduled, else drafted); `total` on each row counts the filtered list."""
    return await db.all(_PAGE, {"o": db.org_id, "p": project_id, "state": state, "kind": kind, "drafts": drafts, "after": after,
                                "limit": limit})


async def notice(db: Reader, notice_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": notice_id})


async def targets(db: Reader, notice_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The buildings or flats each notice is aimed at (one statement for a page of notices)."""
    return await db.all(_TARGETS, {"o": db.org_id, "ns": list(notice_ids)})


async def read_unit_counts(db: Reader, notice_ids: Sequence[UUID]) -> dict[UUID, int]:
    """How many flats have read each notice (absent: none)."""
    return {r.notice_id: int(r.n) for r in await db.all(_READ_UNITS, {"o": db.org_id, "ns": list(notice_ids)})}


async def unread_page(db: Reader, notice_id: UUID, building_id: UUID | None, after: UUID | None, limit: int) -> list[Row[Any]]:
    """The flats that have not read it, by building, entrance, floor and number."""
    return await db.all(_UNREAD, {"o": db.org_id, "n": notice_id, "b": building_id, "after": after, "limit": limit})


async def deliveries(db: Reader, notice_id: UUID, limit: int = 500) -> list[Row[Any]]:
    """What was planned and sent about it, channel by channel."""
    return await db.all(_DELIVERIES, {"o": db.org_id, "n": str(notice_id), "limit": limit})


# The unread list as a sheet: each flat with its primary contact now (owners first), masked.
_UNREAD_ROWS = text(
    f"SELECT b.name AS building, u.entrance, u.number, c.name AS contact, c.phone_masked, {APP_USER} AS app_user "
    "FROM notice_recipients r "
    f"JOIN {UNIT_FROM} ON u.org_id = r.org_id AND u.id = r.unit_id "
    "LEFT JOIN LATERAL (SELECT p.name, p.phone_masked FROM occupancies o JOIN residents p ON p.org_id = o.org_id AND p.id = o.resident_id "
    "  WHERE o.org_id = r.org_id AND o.unit_id = r.unit_id AND o.moved_out_on IS NULL "
    "  ORDER BY NOT o.primary_contact, o.role <> 'owner', o.created_at LIMIT 1) c ON true "
    "WHERE r.org_id = :o AND r.notice_id = :n AND NOT EXISTS (SELECT 1 FROM notice_reads x WHERE x.org_id = r.org_id AND "
    "x.notice_id = r.notice_id "
    "  AND x.unit_id = r.unit_id) ORDER BY b.name, u.entrance, u.floor, u.number"
)


async def unread_rows(db: Reader, notice_id: UUID) -> list[Row[Any]]:
    return await db.all(_UNREAD_ROWS, {"o": db.org_id, "n": notice_id})
