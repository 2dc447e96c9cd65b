from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.cases.reads import cases_by_id
from domain.reads import Record


async def case_by_id(db: RequestDb, ids: Sequence[UUID]) -> list[Record | None]:
    rows = {r.id: r for r in await cases_by_id(db, ids)}
    return [rows.get(i) for i in ids]
