from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.notices.reads import read_unit_counts


async def read_units_by_notice(db: RequestDb, ids: Sequence[UUID]) -> list[int]:
    counts = await read_unit_counts(db, ids)
    return [counts.get(i, 0) for i in ids]
