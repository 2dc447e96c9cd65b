from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.cases.progress_read import entries_of_cases
from domain.reads import Row


async def progress_entries_by_case(db: RequestDb, case_ids: Sequence[UUID]) -> list[list[Row]]:
    """A page of a resident's cases with their progress: the audit entries in one statement."""
    return group_by(await entries_of_cases(db, case_ids), "case_id", case_ids)
