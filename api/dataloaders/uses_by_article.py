from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.knowledge.reads import uses


async def uses_by_article(db: RequestDb, ids: Sequence[UUID]) -> list[int]:
    counts = await uses(db, ids)
    return [counts.get(i, 0) for i in ids]
