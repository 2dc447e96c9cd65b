from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.improvements.reads import escalations
from domain.reads import Row


async def escalations_by_action(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await escalations(db, ids), "subject_id", ids)
