"""查看记录 Who saw a resident's personal data in full, when and why: the audit rows the reveals
wrote, newest first. They hold the field and the reason, never the value."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_REVEALS = text(
    "WITH f AS (SELECT a.id, a.at, a.actor, a.entity_id AS resident_id, a.data ->> 'field' AS field, "
    "  a.data ->> 'reason' AS reason, CAST(a.data ->> 'case_id' AS uuid) AS case_id, "
    "  (SELECT coalesce(u.display_name, u.username) FROM users u "
    "   WHERE a.actor LIKE 'user:%' AND u.org_id = a.org_id AND u.id::text = substr(a.actor, 6)) AS actor_name "
    "  FROM audit_log a WHERE a.org_id = :o AND a.action = 'personal_data.revealed' AND a.entity = 'resident' AND a.project_id = :p "
    "  AND (CAST(:resident AS uuid) IS NULL OR a.entity_id = :resident)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS bigint) IS NULL OR f.id < :after ORDER BY f.id DESC LIMIT :limit"
)


async def reveals_page(db: Reader, project_id: UUID, resident_id: UUID | None, after: int | None,
                       limit: int) -> list[Row[Any]]:
    """A project's resident reveals (or one resident's), newest first; `total` counts them all."""
    return await db.all(_REVEALS, {"o": db.org_id, "p": project_id, "resident": resident_id, "after": after, "limit": limit})
