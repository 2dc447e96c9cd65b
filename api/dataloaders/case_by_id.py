from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Row, text

from api.request_db import RequestDb
from domain.sla.overdue import overdue

CASE_COLUMNS = (
    "c.id, c.project_id, c.number, c.kind, c.severity, c.channel, c.state, c.description, c.photos, c.public_area, "
    "c.unit_id, c.building_id, c.received_at, c.registered_at, c.commitment_due, c.assignee_id, c.department_id, c.handler_id, c.paused_since, "
    "c.reopen_count, c.rework_level, c.broken_promises, c.repeat_of, c.satisfaction, c.visit_score, c.auto_confirmed, "
    "c.resolved_at, c.confirmed_at, c.first_receiver_id, cat.code AS category_code, cat.name AS category_name, "
    f"{overdue('c')} AS overdue"
)
CASE_FROM = "cases c JOIN case_categories cat ON cat.org_id = c.org_id AND cat.id = c.category_id"
_SQL = text(f"SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.id = ANY(:ids)")


async def case_by_id(db: RequestDb, ids: Sequence[UUID]) -> list[Row | None]:
    rows = {r.id: r for r in await db.all(_SQL, {"ids": list(ids)})}
    return [rows.get(i) for i in ids]
