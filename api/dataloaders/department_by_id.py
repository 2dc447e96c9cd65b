from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.request_db import RequestDb

_SQL = text("SELECT id, project_id, kind, name FROM departments WHERE id = ANY(:ids)")


async def department_by_id(db: RequestDb, ids: Sequence[UUID]) -> list[Row | None]:
    rows = {r.id: r for r in await db.all(_SQL, {"ids": list(ids)})}
    return [rows.get(i) for i in ids]
