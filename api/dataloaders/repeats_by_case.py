from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.cases.reads import repeats_of_cases
from domain.reads import Row


async def repeats_by_case(db: RequestDb, case_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await repeats_of_cases(db, case_ids), "repeat_of", case_ids)
