from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.request_db import RequestDb

STAFF_COLUMNS = "s.id, s.project_id, s.name, s.title, s.phone_masked, s.active, d.kind AS department_kind, d.name AS department_name"
_SQL = text(
    f"SELECT {STAFF_COLUMNS} FROM staff s "
    "LEFT JOIN departments d ON d.org_id = s.org_id AND d.id = s.department_id "
    "WHERE s.project_id = ANY(:ids) ORDER BY d.kind NULLS LAST, s.name"
)


async def staff_by_project(db: RequestDb, project_ids: Sequence[UUID]) -> list[list[Row]]:
    grouped: dict[UUID, list[Row]] = defaultdict(list)
    for row in await db.all(_SQL, {"ids": list(project_ids)}):
        grouped[row.project_id].append(row)
    return [grouped.get(p, []) for p in project_ids]
