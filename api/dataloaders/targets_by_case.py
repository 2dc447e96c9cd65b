from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.reads import Row
from domain.sla.reads import targets_of_cases


async def targets_by_case(db: RequestDb, case_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await targets_of_cases(db, case_ids), "case_id", case_ids)
