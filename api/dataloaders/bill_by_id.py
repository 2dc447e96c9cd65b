from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.fees.reads import bills_by_id
from domain.reads import Row


async def bill_by_id(db: RequestDb, ids: Sequence[UUID]) -> list[Row | None]:
    rows = {r.id: r for r in await bills_by_id(db, ids)}
    return [rows.get(i) for i in ids]
