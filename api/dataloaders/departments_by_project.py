from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.request_db import RequestDb

_SQL = text("SELECT id, project_id, kind, name FROM departments WHERE project_id = ANY(:ids) ORDER BY kind, name")


async def departments_by_project(db: RequestDb, project_ids: Sequence[UUID]) -> list[list[Row]]:
    grouped: dict[UUID, list[Row]] = defaultdict(list)
    for row in await db.all(_SQL, {"ids": list(project_ids)}):
        grouped[row.project_id].append(row)
    return [grouped.get(p, []) for p in project_ids]
