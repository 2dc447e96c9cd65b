"""A resident's notices (docs/resident-services.md §5.3): pinned, then emergencies and outages,
then newest. The resident role's row-level security is the wall: published, not expired, of
the project or reaching one of their flats."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

MAX = 50
_LIST = text(
    "SELECT n.id, n.title, n.body, n.kind, n.pinned, n.published_at, n.expires_at, n.attachments, "
    "EXISTS (SELECT 1 FROM notice_reads x WHERE x.org_id = n.org_id AND x.notice_id = n.id AND x.resident_id = :r) AS read "
    "FROM notices n WHERE n.org_id = :o ORDER BY n.pinned DESC, n.kind IN ('emergency', 'outage') DESC, n.published_at DESC, n.id LIMIT :n"
)
_ONE = text("SELECT id, project_id, audience FROM notices WHERE org_id = :o AND id = :id")
# The flat the receipt is counted for: one of the resident's that the notice reached, else (a
# project-wide notice to someone who moved in after it) any of theirs.
_FLAT = text(
    "SELECT s.unit_id FROM resident_stays() s LEFT JOIN notice_recipients r ON r.org_id = :o AND r.notice_id = :n "
    "AND r.unit_id = s.unit_id "
    "ORDER BY r.unit_id IS NULL, s.unit_id LIMIT 1"
)


async def notices(db: Reader, resident_id: UUID, first: int) -> list[Row[Any]]:
    return await db.all(_LIST, {"o": db.org_id, "r": resident_id, "n": first})


async def notice(db: Reader, notice_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE, {"o": db.org_id, "id": notice_id})


async def flat_for(db: Reader, notice_id: UUID) -> UUID | None:
    row = await db.first(_FLAT, {"o": db.org_id, "n": notice_id})
    return row.unit_id if row else None
