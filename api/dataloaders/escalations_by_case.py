from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

_SQL = text(
    "SELECT id, case_id, target, round, level, reason, due_at, fired_at, recipients FROM escalations "
    "WHERE case_id = ANY(:ids) ORDER BY fired_at, id"
)


async def escalations_by_case(db: RequestDb, case_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(case_ids)}), "case_id", case_ids)
