"""What a bill run could not bill, one row per flat or space, item and reason (docs/resident-services.md
§6.2): the archive gaps staff fix — a flat without its area, an item without a rate for the month,
a parking space belonging to no flat. Computed from the run's items and months by the run's own
classification (domain/fees/billing_repository.py), against the archive as it is now: a gap fixed
since the run is no longer listed, and the next run bills it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.fees.billing_repository import CLASSIFIED
from domain.reads import Reader, Row

MAX = 1000
_LABEL = "concat_ws(' ', bd.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number)"
_SKIPPED = text(CLASSIFIED + f"""
SELECT c.reason, c.item_id, i.code AS item_code, i.name AS item_name, c.unit_id,
       CASE WHEN u.id IS NOT NULL THEN {_LABEL} END AS unit_label, c.space_id,
       CASE WHEN s.id IS NOT NULL THEN concat_ws(' ', nullif(s.area, ''), s.number) END AS space_label,
       count(*) AS months, min(c.period) AS first_month, max(c.period) AS last_month
FROM classified c JOIN charge_items i ON i.org_id = c.org_id AND i.id = c.item_id
LEFT JOIN units u ON u.org_id = c.org_id AND u.id = c.unit_id
LEFT JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id
LEFT JOIN parking_spaces s ON s.org_id = c.org_id AND s.id = c.space_id
WHERE c.reason IS NOT NULL AND (CAST(:reason AS text) IS NULL OR c.reason = :reason)
GROUP BY c.reason, c.item_id, i.code, i.name, c.unit_id, u.id, bd.name, u.entrance, u.number, c.space_id, s.id, s.area, s.number
ORDER BY c.reason, bd.name NULLS LAST, u.entrance, u.number, s.area, s.number, i.code, c.unit_id, c.space_id
LIMIT :limit""")


async def skipped(db: Reader, org_id: UUID, project_id: UUID, months: tuple[date, date], item_ids: Sequence[UUID],
                  reason: str | None, limit: int) -> list[Row[Any]]:
    return await db.all(_SKIPPED, {"o": org_id, "p": project_id, "from_month": months[0], "to_month": months[1],
                                   "items": list(item_ids), "reason": reason, "limit": limit})
