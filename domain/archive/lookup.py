"""来电识别 Finding the caller (docs/archive.md §3, §5.1): by phone through the keyed hash of the
canonical number — never a match over clear text, there is none — or by part of a flat number
within one project. Only masked values are selected. Row-level security keeps every statement
inside the caller's company and projects; erased residents are never found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.archive.flat_query import FlatQuery
from domain.archive.reads import FLAT_MATCH, UNIT_COLUMNS, UNIT_FROM, flat_terms
from domain.archive.reads_people import RESIDENT_COLUMNS
from domain.reads import Reader, Row

LOOKUP_LIMIT = 20

_BY_PHONE = text(
    f"SELECT {RESIDENT_COLUMNS} FROM residents r "
    "WHERE r.erased_at IS NULL AND (CAST(:p AS uuid) IS NULL OR r.project_id = :p) "
    "AND (CAST(:allowed AS uuid[]) IS NULL OR r.project_id = ANY(:allowed)) "
    "AND (r.phone_hash = :h OR EXISTS (SELECT 1 FROM resident_contacts rc "
    "     WHERE rc.org_id = r.org_id AND rc.resident_id = r.id AND rc.value_hash = :h)) "
    "ORDER BY r.name, r.id LIMIT :limit"
)
_CURRENT_UNITS_OF = text(
    f"SELECT DISTINCT ON (b.name, u.entrance, u.floor, u.number, u.id) {UNIT_COLUMNS} FROM {UNIT_FROM} "
    "JOIN occupancies o ON o.org_id = u.org_id AND o.unit_id = u.id "
    "WHERE o.resident_id = ANY(:ids) AND o.moved_out_on IS NULL "
    "ORDER BY b.name, u.entrance, u.floor, u.number, u.id LIMIT :limit"
)
_BY_FLAT = text(
    f"SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.project_id = :p AND {FLAT_MATCH} "
    "ORDER BY b.name, u.entrance, u.floor, u.number, u.id LIMIT :limit"
)
_CURRENT_OCCUPANTS_OF = text(
    f"SELECT {RESIDENT_COLUMNS} FROM residents r "
    "WHERE r.erased_at IS NULL AND EXISTS (SELECT 1 FROM occupancies o WHERE o.org_id = r.org_id "
    "  AND o.resident_id = r.id AND o.unit_id = ANY(:ids) AND o.moved_out_on IS NULL) "
    "ORDER BY r.name, r.id LIMIT :limit"
)


async def residents_by_phone(db: Reader, phone_hash: bytes, project_id: UUID | None,
                             allowed: Sequence[UUID] | None) -> list[Row[Any]]:
    """Whose number (or one of whose contacts') it is, in one project or every project in reach;
    `allowed` (None: all of them) narrows to where the caller may read the archive, before the
    limit, so a project it may not read never crowds out one it may."""
    return await db.all(_BY_PHONE, {"h": phone_hash, "p": project_id, "limit": LOOKUP_LIMIT,
                                    "allowed": list(allowed) if allowed is not None else None})


async def current_units_of(db: Reader, resident_ids: Sequence[UUID]) -> list[Row[Any]]:
    """The flats they live in now, by building, entrance, floor and number."""
    if not resident_ids:
        return []
    return await db.all(_CURRENT_UNITS_OF, {"ids": list(resident_ids), "limit": LOOKUP_LIMIT})


async def units_by_flat(db: Reader, project_id: UUID, q: FlatQuery) -> list[Row[Any]]:
    return await db.all(_BY_FLAT, {"p": project_id, "limit": LOOKUP_LIMIT, **flat_terms(q)})


async def current_occupants_of(db: Reader, unit_ids: Sequence[UUID]) -> list[Row[Any]]:
    """Who lives in these flats now, by name."""
    if not unit_ids:
        return []
    return await db.all(_CURRENT_OCCUPANTS_OF, {"ids": list(unit_ids), "limit": LOOKUP_LIMIT})
