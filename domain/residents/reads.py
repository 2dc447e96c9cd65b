"""What a resident reads of themselves (docs/resident-services.md §9.1): their profile, their
current flats, their cases. Run under the resident's own role, so row-level security is the wall;
each statement also names the resident's flats itself, for the index and so that a staff caller
reading it (the sign-in's payload, under the key's wall) gets the same answer."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.reads import Reader

_LABEL = "concat_ws(' ', b.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number)"
_PROFILE = text(
    "SELECT r.id, r.name, r.phone_masked, r.project_id, p.name AS project_name, p.resident_rating FROM residents r "
    "JOIN projects p ON p.org_id = r.org_id AND p.id = r.project_id WHERE r.org_id = :o AND r.id = :r AND r.erased_at IS NULL"
)
_UNITS = text(
    f"SELECT o.unit_id, o.role, o.moved_in_on, {_LABEL} AS label FROM occupancies o "
    "JOIN units u ON u.org_id = o.org_id AND u.id = o.unit_id JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
    "WHERE o.org_id = :o AND o.resident_id = :r AND o.moved_out_on IS NULL ORDER BY label, o.unit_id"
)
# A case is the resident's when they reported it, or it is of one of their current flats and
# was received on or after their move-in (the same rule as the resident policy on cases).
_MINE = (
    "(c.reporter_resident_id = :r OR EXISTS (SELECT 1 FROM occupancies o WHERE o.org_id = c.org_id "
    "AND o.project_id = c.project_id AND o.unit_id = c.unit_id AND o.resident_id = :r AND o.moved_out_on IS NULL "
    "AND c.received_at >= coalesce(o.moved_in_on::timestamp AT TIME ZONE 'Asia/Shanghai', '-infinity')))"
)
_CASE_COLUMNS = (
    "c.id, c.project_id, c.number, c.kind, c.state, c.paused_since, c.public_area, c.description, c.received_at, "
    "c.commitment_due, c.handler_id, c.satisfaction, c.visit_score, c.visit_channel, c.unit_id, cat.name AS category_name, "
    f"CASE WHEN u.id IS NOT NULL THEN {_LABEL} END AS unit_label"
)
_CASE_FROM = (
    "FROM cases c JOIN case_categories cat ON cat.org_id = c.org_id AND cat.id = c.category_id "
    "LEFT JOIN units u ON u.org_id = c.org_id AND u.id = c.unit_id "
    "LEFT JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id"
)
_OPEN = "c.state NOT IN ('closed', 'cancelled', 'declined', 'confirmed')"
_ONE_CASE = text(f"SELECT {_CASE_COLUMNS} {_CASE_FROM} WHERE c.org_id = :o AND c.id = :c AND {_MINE}")


async def profile(db: Reader, resident_id: UUID) -> Row[Any] | None:
    return await db.first(_PROFILE, {"o": db.org_id, "r": resident_id})


async def units(db: Reader, resident_id: UUID) -> list[Row[Any]]:
    """The resident's current flats: (unit_id, role, moved_in_on, label)."""
    return await db.all(_UNITS, {"o": db.org_id, "r": resident_id})


async def case(db: Reader, resident_id: UUID, case_id: UUID) -> Row[Any] | None:
    return await db.first(_ONE_CASE, {"o": db.org_id, "r": resident_id, "c": case_id})


async def cases(db: Reader, resident_id: UUID, *, limit: int, after: UUID | None, open_only: bool | None) -> list[Row[Any]]:
    """Newest first, `limit + 1` rows (the last says there is a next page), each with the list's `total`."""
    where = ["c.org_id = :o", _MINE]
    if open_only is True:
        where.append(_OPEN)
    elif open_only is False:
        where.append(f"NOT {_OPEN}")
    page = " AND (c.received_at, c.id) < (SELECT received_at, id FROM cases WHERE org_id = :o AND id = :after)" if after else ""
    sql = text(f"SELECT * FROM (SELECT {_CASE_COLUMNS}, count(*) OVER () AS total {_CASE_FROM} "
               f"WHERE {' AND '.join(where)}) c WHERE true{page} "
               "ORDER BY c.received_at DESC, c.id DESC LIMIT :n")
    return await db.all(sql, {"o": db.org_id, "r": resident_id, "after": after, "n": limit + 1})
