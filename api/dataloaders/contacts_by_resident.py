from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.archive.reads_belongings import contacts_of_residents
from domain.reads import Row


async def contacts_by_resident(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await contacts_of_residents(db, ids), "resident_id", ids)
