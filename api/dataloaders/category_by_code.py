from __future__ import annotations

from collections.abc import Sequence

from api.request_db import RequestDb
from domain.cases.taxonomy import BY_CODE
from domain.reads import Row


async def category_by_code(db: RequestDb, codes: Sequence[str]) -> list[Row | None]:
    rows = {r.code: r for r in await db.all(BY_CODE, {"o": db.org_id, "codes": list(codes)})}
    return [rows.get(c) for c in codes]
