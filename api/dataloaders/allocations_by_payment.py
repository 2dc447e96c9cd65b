from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.fees.reads import allocations_of
from domain.reads import Row


async def allocations_by_payment(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await allocations_of(db, ids), "payment_id", ids)
