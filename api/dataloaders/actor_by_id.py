from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.actors import ACTORS_BY_ID
from domain.reads import Row


async def actor_by_id(db: RequestDb, ids: Sequence[UUID]) -> list[Row | None]:
    """A user or an API key of the caller's company by id."""
    rows = {r.id: r for r in await db.all(ACTORS_BY_ID, {"o": db.org_id, "ids": list(ids)})}
    return [rows.get(i) for i in ids]
