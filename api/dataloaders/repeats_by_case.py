from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row

from api.dataloaders._group import group_by
from api.dataloaders.case_by_id import CASE_COLUMNS, CASE_FROM
from api.request_db import RequestDb
from domain.cases.reads import repeats_of

_SQL = repeats_of(CASE_COLUMNS, CASE_FROM)


async def repeats_by_case(db: RequestDb, case_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(case_ids)}), "repeat_of", case_ids)
