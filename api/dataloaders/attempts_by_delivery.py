from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.notifications.reads import attempts_of_deliveries
from domain.reads import Row


async def attempts_by_delivery(db: RequestDb, delivery_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await attempts_of_deliveries(db, delivery_ids), "delivery_id", delivery_ids)
