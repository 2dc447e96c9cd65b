from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.cases.written_reply_read import deliveries_of_replies
from domain.reads import Row


async def deliveries_by_reply(db: RequestDb, reply_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await deliveries_of_replies(db, reply_ids), "reply_id", reply_ids)
