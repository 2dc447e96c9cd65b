from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

_SQL = text(
    "SELECT id, reply_id, via, recipient, delivered_at, note, recorded_by, recorded_at FROM written_reply_deliveries "
    "WHERE reply_id = ANY(:ids) ORDER BY delivered_at, id"
)


async def deliveries_by_reply(db: RequestDb, reply_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(reply_ids)}), "reply_id", reply_ids)
