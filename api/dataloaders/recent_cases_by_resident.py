"""最近工单 per resident, keyed by (resident, how many the field shows): one statement for a page of
residents, reading no more cases than are shown."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.request_db import RequestDb
from domain.archive.reads_people import recent_cases_of_residents
from domain.reads import Row


async def recent_cases_by_resident(db: RequestDb, keys: Sequence[tuple[UUID, int]]) -> list[list[Row]]:
    return await recent_cases_of_residents(db, keys)
