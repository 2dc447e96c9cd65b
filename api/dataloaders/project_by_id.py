from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.request_db import RequestDb

PROJECT_COLUMNS = "id, org_id, code, name, property_type, city, address, households, created_at, provisioned_at, work_opens, work_closes"

_SQL = text(f"SELECT {PROJECT_COLUMNS} FROM projects WHERE id = ANY(:ids)")


async def project_by_id(db: RequestDb, ids: Sequence[UUID]) -> list[Row | None]:
    rows = {r.id: r for r in await db.all(_SQL, {"ids": list(ids)})}
    return [rows.get(i) for i in ids]
