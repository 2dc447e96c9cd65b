from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.directory.reads import grants_of_users
from domain.reads import Row


async def grants_by_user(db: RequestDb, user_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await grants_of_users(db, user_ids), "user_id", user_ids)
