"""转办函 What a referral letter prints: the referral, its case (and where), the outside body it is
addressed to, the project and company. Read under the caller's row-level security, so another
project's or company's referral is simply not found."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.kpi.evaluation import Reader

_LETTER = text(
    "SELECT r.id, r.reason, r.requested_action, r.created_at, r.due_at, c.number, c.description, c.received_at, c.public_area, "
    "  p.name AS project_name, o.name AS org_name, ob.id AS body_id, ob.kind AS body_kind, ob.name AS body_name, "
    "  ob.contact_name, ob.address AS body_address, ob.delivery, b.name AS building, u.number AS unit "
    "FROM referrals r JOIN cases c ON c.org_id = r.org_id AND c.id = r.case_id "
    "JOIN projects p ON p.org_id = r.org_id AND p.id = r.project_id "
    "JOIN organizations o ON o.org_id = r.org_id JOIN outside_bodies ob ON ob.org_id = r.org_id AND ob.id = r.body_id "
    "LEFT JOIN buildings b ON b.org_id = c.org_id AND b.id = c.building_id "
    "LEFT JOIN units u ON u.org_id = c.org_id AND u.id = c.unit_id WHERE r.org_id = :o AND r.id = :id"
)


async def referral_letter(db: Reader, referral_id: UUID) -> Row[Any] | None:
    return await db.first(_LETTER, {"o": db.org_id, "id": referral_id})
