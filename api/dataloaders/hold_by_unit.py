from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.fees.reminder_reads import open_holds
from domain.reads import Row


async def hold_by_unit(db: RequestDb, ids: Sequence[UUID]) -> list[Row | None]:
    rows = {r.unit_id: r for r in await open_holds(db, ids)}
    return [rows.get(i) for i in ids]
