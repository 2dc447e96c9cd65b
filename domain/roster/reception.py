"""接访轮值 The reception rota: which manager was at the front desk when a case was taken there,
and the rota with each shift's cases. Under the caller's row-level security."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.reads import Reader, Row

# Cases taken face to face count for the manager on reception duty.
RECEPTION_CHANNELS = frozenset({"front_desk", "walk_in"})

# The registrant when they are on reception duty then; else whoever's shift started first.
_RECORD = text(
    "UPDATE cases SET reception_user_id = (SELECT s.user_id FROM duty_shifts s WHERE s.org_id = :o AND s.project_id = :p "
    "  AND s.kind = 'reception' AND s.starts_at <= :at AND s.ends_at > :at "
    "  ORDER BY (s.user_id = :me) DESC, s.starts_at, s.id LIMIT 1) "
    "WHERE org_id = :o AND id = :c"
)
_ROTA = text(
    "SELECT id, project_id, department_id, user_id, starts_at, ends_at, kind FROM duty_shifts "
    "WHERE org_id = :o AND project_id = :p AND kind = 'reception' AND starts_at < :to AND ends_at > :from "
    "ORDER BY starts_at, id LIMIT 500"
)
# A case belongs to the shift of its reception manager that was running when it was taken.
_CASES = text(
    "SELECT s.id AS shift_id, c.id AS case_id FROM duty_shifts s JOIN cases c ON c.org_id = s.org_id "
    "  AND c.project_id = s.project_id AND c.reception_user_id = s.user_id "
    "  AND c.received_at >= s.starts_at AND c.received_at < s.ends_at "
    "WHERE s.org_id = :o AND s.id = ANY(:ids) ORDER BY c.received_at, c.id"
)


async def record_reception(conn: AsyncConnection, *, org_id: UUID, case_id: UUID, project_id: UUID, received_at: datetime,
                           registrant: UUID) -> None:
    await conn.execute(_RECORD, {"o": org_id, "c": case_id, "p": project_id, "at": received_at, "me": registrant})


async def rota(db: Reader, project_id: UUID, start: datetime, end: datetime) -> list[Row[Any]]:
    """The project's reception shifts overlapping the window, earliest first (at most 500)."""
    return await db.all(_ROTA, {"o": db.org_id, "p": project_id, "from": start, "to": end})


async def cases_by_shift(db: Reader, shift_ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    out: dict[UUID, list[UUID]] = {i: [] for i in shift_ids}
    for r in await db.all(_CASES, {"o": db.org_id, "ids": list(shift_ids)}):
        out[r.shift_id].append(r.case_id)
    return out
