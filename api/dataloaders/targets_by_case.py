from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.dataloaders._group import group_by
from api.request_db import RequestDb

_SQL = text(
    "SELECT t.case_id, t.target, t.round, t.started_at, t.due_at, t.met_at, t.closed_by, t.paused_at, t.broken_at, t.provisional, "
    "  coalesce(l.remind_pct, 80) AS remind_pct "
    "FROM case_targets t LEFT JOIN sla_ladders l ON l.org_id = t.org_id "
    "WHERE t.case_id = ANY(:ids) ORDER BY t.round, array_position(ARRAY['commit', 'arrive', 'resolve', 'visit'], t.target)"
)


async def targets_by_case(db: RequestDb, case_ids: Sequence[UUID]) -> list[list[Row]]:
    return group_by(await db.all(_SQL, {"ids": list(case_ids)}), "case_id", case_ids)
