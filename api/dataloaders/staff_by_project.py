from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

STAFF_COLUMNS = "s.id, s.project_id, s.name, s.title, s.phone_masked, s.active, d.kind AS department_kind, d.name AS department_name"
_SQL = text(
    f"SELECT {STAFF_COLUMNS} FROM staff s "
    "LEFT JOIN departments d ON d.org_id = s.org_id AND d.id = s.department_id "
    "WHERE s.project_id = ANY(:ids) ORDER BY d.kind NULLS LAST, s.name"
)


async def staff_by_project(db: RequestDb, project_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(project_ids)}), "project_id", project_ids)
