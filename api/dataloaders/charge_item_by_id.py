from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.fees.reads import charge_items_by_id
from domain.reads import Row


async def charge_item_by_id(db: RequestDb, ids: Sequence[UUID]) -> list[Row | None]:
    rows = {r.id: r for r in await charge_items_by_id(db, ids)}
    return [rows.get(i) for i in ids]
