"""书面答复 Written replies as they are read back: each version with what its letter prints — the
case, the project and company, the resident, the place and who signed it. One row shape for the
API's `WrittenReply` and for the printed letter; read under the caller's row-level security."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_FROM = (
    "SELECT r.id, r.case_id, r.version, r.reason, r.basis, r.alternatives, r.created_at, r.created_by, "
    "  c.number, c.description, c.received_at, c.public_area, p.name AS project_name, o.name AS org_name, "
    "  u.display_name AS signed_by, b.name AS building, un.number AS unit, "
    # An erased resident (PIPL) is addressed as 业主/住户, not as 已删除住户.
    "  CASE WHEN res.erased_at IS NULL THEN res.name END AS resident "
    "FROM written_replies r JOIN cases c ON c.org_id = r.org_id AND c.id = r.case_id "
    "JOIN projects p ON p.org_id = c.org_id AND p.id = c.project_id JOIN organizations o ON o.org_id = c.org_id "
    "LEFT JOIN users u ON u.org_id = r.org_id AND u.id = r.created_by "
    "LEFT JOIN buildings b ON b.org_id = c.org_id AND b.id = c.building_id "
    "LEFT JOIN units un ON un.org_id = c.org_id AND un.id = c.unit_id "
    "LEFT JOIN residents res ON res.org_id = c.org_id AND res.id = c.reporter_resident_id "
)
_BY_ID = text(_FROM + "WHERE r.org_id = :o AND r.id = :id")
_BY_CASE = text(_FROM + "WHERE r.org_id = :o AND r.case_id = :c ORDER BY r.version DESC")
_DELIVERIES = text(
    "SELECT id, reply_id, via, recipient, delivered_at, note, recorded_by, recorded_at FROM written_reply_deliveries "
    "WHERE org_id = :o AND reply_id = ANY(:ids) ORDER BY delivered_at, id"
)


async def written_reply(db: Reader, reply_id: UUID) -> Row[Any] | None:
    return await db.first(_BY_ID, {"o": db.org_id, "id": reply_id})


async def written_replies(db: Reader, case_id: UUID) -> list[Row[Any]]:
    """Every version of the case's reply, newest first."""
    return await db.all(_BY_CASE, {"o": db.org_id, "c": case_id})


async def deliveries_of_replies(db: Reader, reply_ids: Sequence[UUID]) -> list[Row[Any]]:
    """How each reply reached the resident, oldest first."""
    return await db.all(_DELIVERIES, {"o": db.org_id, "ids": list(reply_ids)})
