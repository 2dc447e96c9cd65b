from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.notices.reads import targets
from domain.reads import Row


async def targets_by_notice(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await targets(db, ids), "notice_id", ids)
