from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

_SQL = text(
    "SELECT delivery_id, at, ok, status_code, error, duration_ms, replay FROM delivery_attempts "
    "WHERE delivery_id = ANY(:ids) ORDER BY at, id"
)


async def attempts_by_delivery(db: RequestDb, delivery_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(delivery_ids)}), "delivery_id", delivery_ids)
