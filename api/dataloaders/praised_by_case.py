from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.cases.praise import praised_by_case as read


async def praised_by_case(db: RequestDb, ids: Sequence[UUID]) -> list[list[UUID]]:
    """Each case's praised people's ids, in the order named; none for a case not visible."""
    rows = {r.id: list(r.praised_user_ids) for r in await read(db, ids)}
    return [rows.get(i, []) for i in ids]
