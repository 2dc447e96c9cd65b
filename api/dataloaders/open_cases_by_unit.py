from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.archive.reads_people import open_cases_in_units
from domain.reads import Row


async def open_cases_by_unit(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await open_cases_in_units(db, ids), "unit_id", ids)
