from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.handover.reads import acks, entries
from domain.reads import Row


async def entries_by_shift_log(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await entries(db, ids), "log_id", ids)


async def acks_by_shift_log(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await acks(db, ids), "log_id", ids)
