from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

# Company-wide assignments (no project) are visible to company-wide callers only, by RLS.
_SQL = text("SELECT id, user_id, role, project_id FROM role_assignments WHERE user_id = ANY(:ids) ORDER BY role, project_id")


async def grants_by_user(db: RequestDb, user_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(user_ids)}), "user_id", user_ids)
