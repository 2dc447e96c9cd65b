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
    "WHERE r.org_id = :o AND r.erased_at IS NULL AND (CAST(:p AS uuid) IS NULL OR r.project_id = :p) "
    "AND (CAST(:allowed AS uuid[]) IS NULL OR r.project_id = ANY(:allowed)) "
    # The two ways to hold the number as one list of ids, each through its hash index: an OR of
    # the two made PostgreSQL scan every resident of the company (docs/benchmarks.md).
    "AND r.id IN (SELECT x.id FROM residents x WHERE x.org_id = :o AND x.phone_hash = :h "
    "  UNION ALL SELECT rc.resident_id FROM resident_contacts rc WHERE rc.org_id = :o AND rc.value_hash = :h) "
    "ORDER BY r.name, r.id LIMIT :limit"
)
_CURRENT_UNITS_OF = text(
    f"SELECT DISTINCT ON (b.name, u.entrance, u.floor, u.number, u.id) {UNIT_COLUMNS} FROM {UNIT_FROM} "
    "JOIN occupancies o ON o.org_id = u.org_id AND o.unit_id = u.id "
    "WHERE o.org_id = :o AND o.project_id = ANY(:projects) AND o.resident_id = ANY(:ids) AND o.moved_out_on IS NULL "
    "ORDER BY b.name, u.entrance, u.floor, u.number, u.id LIMIT :limit"
)
_BY_FLAT = text(
    # b.project_id too: the buildings then come from the project's own index, in name order, and a
    # building typed is matched among the project's buildings, not the company's.
    f"SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.org_id = :o AND u.project_id = :p AND b.project_id = :p "
    f"AND {FLAT_MATCH} "
    "ORDER BY b.name, u.entrance, u.floor, u.number, u.id LIMIT :limit"
)
_CUSTOM_PLANS = text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
_CURRENT_OCCUPANTS_OF = text(
    f"SELECT {RESIDENT_COLUMNS} FROM residents r "
    "WHERE r.org_id = :o AND r.erased_at IS NULL AND r.project_id = ANY(:projects) "
    "AND r.id IN (SELECT o.resident_id FROM occupancies o "
    "  WHERE o.org_id = :o AND o.project_id = ANY(:projects) AND o.unit_id = ANY(:ids) AND o.moved_out_on IS NULL) "
    "ORDER BY r.name, r.id LIMIT :limit"
)


async def residents_by_phone(db: Reader, phone_hash: bytes, project_id: UUID | None,
                             allowed: Sequence[UUID] | None) -> list[Row[Any]]:
    """Whose number (or one of whose contacts') it is, in one project or every project in reach;
    `allowed` (None: all of them) narrows to where the caller may read the archive, before the
    limit, so a project it may not read never crowds out one it may."""
    return await db.all(_BY_PHONE, {"o": db.org_id, "h": phone_hash, "p": project_id, "limit": LOOKUP_LIMIT,
                                    "allowed": list(allowed) if allowed is not None else None})


def _ids_and_projects(rows: Sequence[Row[Any]]) -> dict[str, list[UUID]]:
    """The rows' ids and their projects: occupancies are indexed by project first, and a lookup by
    phone spans the company, so the projects let the index narrow before the ids."""
    return {"ids": [r.id for r in rows], "projects": sorted({r.project_id for r in rows})}


async def current_units_of(db: Reader, residents: Sequence[Row[Any]]) -> list[Row[Any]]:
    """The flats these residents (rows with `id` and `project_id`) live in now, by building,
    entrance, floor and number."""
    if not residents:
        return []
    return await db.all(_CURRENT_UNITS_OF, {"o": db.org_id, **_ids_and_projects(residents), "limit": LOOKUP_LIMIT})


async def units_by_flat(db: Reader, project_id: UUID, q: FlatQuery) -> list[Row[Any]]:
    if q.partial:
        # A plan for the number typed: from its sixth run the prepared statement's generic plan,
        # which cannot know how many flats hold the part, read every flat of the project before
        # the first 20 (8–11 ms against 1–2 ms on the largest bench project, docs/benchmarks.md).
        # For the rest of this transaction only.
        await db.first(_CUSTOM_PLANS)
    return await db.all(_BY_FLAT, {"o": db.org_id, "p": project_id, "limit": LOOKUP_LIMIT, **flat_terms(q)})


async def current_occupants_of(db: Reader, units: Sequence[Row[Any]]) -> list[Row[Any]]:
    """Who lives in these flats (rows with `id` and `project_id`) now, by name."""
    if not units:
        return []
    return await db.all(_CURRENT_OCCUPANTS_OF, {"o": db.org_id, **_ids_and_projects(units), "limit": LOOKUP_LIMIT})
