from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.archive.reads_belongings import vehicles_of_spaces
from domain.reads import Row


async def vehicles_by_space(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await vehicles_of_spaces(db, ids), "space_id", ids)
