from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.knowledge.reads import versions
from domain.reads import Row


async def versions_by_article(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await versions(db, ids), "article_id", ids)
