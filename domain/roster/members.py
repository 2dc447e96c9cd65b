"""Who a project's duty roster can take: active logins holding a role in the project (the rule
ShiftRepository.add checks). Read in the caller's transaction, so row-level security keeps it to its company."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_PROJECT_MEMBERS = text(
    "SELECT u.id, u.username, u.display_name, u.active FROM users u "
    "WHERE u.org_id = :o AND u.active AND EXISTS (SELECT 1 FROM role_assignments r "
    "  WHERE r.org_id = u.org_id AND r.user_id = u.id AND r.project_id = :p) "
    "ORDER BY u.display_name, u.username"
)


async def project_members(db: Reader, project_id: UUID) -> list[Row[Any]]:
    return await db.all(_PROJECT_MEMBERS, {"o": db.org_id, "p": project_id})
