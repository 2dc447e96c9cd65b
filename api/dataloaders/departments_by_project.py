from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.dataloaders._group import group_by
from api.request_db import RequestDb
from domain.directory.reads import departments_of_projects
from domain.reads import Row


async def departments_by_project(db: RequestDb, project_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await departments_of_projects(db, project_ids), "project_id", project_ids)
