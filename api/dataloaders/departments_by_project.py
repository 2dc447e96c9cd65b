from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

_SQL = text("SELECT id, project_id, kind, name FROM departments WHERE project_id = ANY(:ids) ORDER BY kind, name")


async def departments_by_project(db: RequestDb, project_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(project_ids)}), "project_id", project_ids)
