from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.cases.staff_visit_repository import by_case
from domain.reads import Row


async def staff_visits_by_case(db: RequestDb, ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await by_case(db, ids), "case_id", ids)
