"""A campaign's sample as the desk works through it (docs/resident-services.md §7.2, §11 录入):
each sampled flat with its building and whether, how and when it answered; the ones still to
answer first when asked. Under the caller's row-level security."""

from __future__ import annotations

import unicodedata
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

_LABEL = "concat_ws(' ', b.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number)"
# Flats in the order a caller goes down a list: building, entrance, floor, number.
_SAMPLE = text(
    f"SELECT s.unit_id, {_LABEL} AS label, b.name AS building_name, r.channel, r.submitted_at "
    "FROM survey_samples s JOIN units u ON u.org_id = s.org_id AND u.id = s.unit_id "
    "JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
    "LEFT JOIN survey_responses r ON r.org_id = s.org_id AND r.campaign_id = s.campaign_id AND r.unit_id = s.unit_id "
    "WHERE s.org_id = :o AND s.campaign_id = :c AND (NOT :pending OR r.id IS NULL) "
    f"AND (CAST(:flat AS text) IS NULL OR {_LABEL} LIKE '%' || :flat || '%') "
    "ORDER BY b.name, u.entrance, u.floor, u.number, s.unit_id LIMIT :limit"
)


def _literal(typed: str | None) -> str | None:
    """What was typed, matched as it is: LIKE's own wildcards in it mean themselves."""
    if typed is None or not typed.strip():
        return None
    return unicodedata.normalize("NFKC", typed).strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def sample(db: Reader, campaign_id: UUID, *, pending: bool, flat: str | None, limit: int) -> list[Row[Any]]:
    return await db.all(_SAMPLE, {"o": db.org_id, "c": campaign_id, "pending": pending, "flat": _literal(flat), "limit": limit})
