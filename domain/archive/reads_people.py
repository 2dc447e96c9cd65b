"""Read models of the archive's people: residents, their stays (occupancies) and the cases they
reported. Only masked phone and ID numbers are ever selected here; the clear values stay sealed
until an audited reveal. Row-level security limits every statement to the caller's reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.archive.accuracy import RESIDENTS, beijing_today, cutoffs, offenders
from domain.archive.reads import _like_safe
from domain.cases.reads import CASE_COLUMNS, CASE_FROM
from domain.reads import Reader, Row

RESIDENT_COLUMNS = (
    "r.id, r.project_id, r.name, r.kind, r.phone_masked, r.id_kind, r.id_number_masked, r.note, r.verified_at, "
    "r.erased_at IS NOT NULL AS erased"
)
OCCUPANCY_COLUMNS = "o.id, o.project_id, o.unit_id, o.resident_id, o.role, o.primary_contact, o.moved_in_on, o.moved_out_on"
# A case still on someone's desk or awaiting the resident: anything not finished for good.
_FINISHED = "('closed', 'cancelled', 'declined')"
RECENT_LIMIT = 50

_RESIDENTS_BY_ID = text(f"SELECT {RESIDENT_COLUMNS} FROM residents r WHERE r.org_id = :o AND r.id = ANY(:ids)")
# Current stays first, then the newest; a flat's history reads the same way.
_STAYS_ORDER = "(o.moved_out_on IS NULL) DESC, o.moved_in_on DESC NULLS LAST, o.created_at DESC, o.id"
_STAYS_BY_RESIDENT = text(f"SELECT {OCCUPANCY_COLUMNS} FROM occupancies o WHERE o.org_id = :o AND o.resident_id = ANY(:ids) "
                           f"ORDER BY {_STAYS_ORDER}")
# `erased`: an erased resident is no occupant now, whatever a stay says (the erasure closes them).
_STAYS_BY_UNIT = text(
    f"SELECT {OCCUPANCY_COLUMNS}, r.erased_at IS NOT NULL AS erased FROM occupancies o "
    "JOIN residents r ON r.org_id = o.org_id AND r.id = o.resident_id "
    f"WHERE o.org_id = :o AND o.unit_id = ANY(:ids) ORDER BY {_STAYS_ORDER}")
_OPEN_CASES = text(
    f"SELECT {CASE_COLUMNS} FROM {CASE_FROM} "
    f"WHERE c.org_id = :o AND c.reporter_resident_id = ANY(:ids) AND c.state NOT IN {_FINISHED} ORDER BY c.received_at, c.id"
)
_OPEN_CASES_BY_UNIT = text(
    f"SELECT {CASE_COLUMNS} FROM {CASE_FROM} "
    f"WHERE c.org_id = :o AND c.unit_id = ANY(:ids) AND c.state NOT IN {_FINISHED} ORDER BY c.received_at, c.id"
)
# Each asked (resident, how many) reads only as many as it shows; `slot` says which ask a row answers.
_RECENT_CASES = text(
    "SELECT want.slot, k.* FROM unnest(CAST(:ids AS uuid[]), CAST(:limits AS integer[])) WITH ORDINALITY "
    "  AS want(id, n, slot) CROSS JOIN LATERAL ("
    f"  SELECT {CASE_COLUMNS} FROM {CASE_FROM} "
    "  WHERE c.org_id = :o AND c.reporter_resident_id = want.id ORDER BY c.received_at DESC, c.id DESC LIMIT want.n) k "
    "ORDER BY want.slot"
)
_RESIDENT_PAGE = text(
    f"WITH f AS (SELECT {RESIDENT_COLUMNS} FROM residents r "
    "  WHERE r.org_id = :o AND r.project_id = :p "
    "  AND (CAST(:name AS text) IS NULL OR r.name LIKE :name || '%') "
    "  AND (CAST(:phone AS bytea) IS NULL OR r.phone_hash = :phone OR EXISTS (SELECT 1 FROM resident_contacts rc "
    "       WHERE rc.org_id = r.org_id AND rc.resident_id = r.id AND rc.value_hash = :phone)) "
    "  AND (CAST(:id_number AS bytea) IS NULL OR r.id_number_hash = :id_number) "
    "  AND (NOT :stay OR EXISTS (SELECT 1 FROM occupancies o JOIN units u ON u.org_id = o.org_id AND u.id = o.unit_id "
    "       WHERE o.org_id = r.org_id AND o.resident_id = r.id "
    "       AND (CAST(:unit AS uuid) IS NULL OR o.unit_id = :unit) "
    "       AND (CAST(:building AS uuid) IS NULL OR u.building_id = :building) "
    "       AND (CAST(:role AS text) IS NULL OR o.role = :role) "
    "       AND (NOT :current OR o.moved_out_on IS NULL))) "
    "  AND (NOT :current OR r.erased_at IS NULL) "
    f"  AND {offenders(RESIDENTS)}) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.name, f.id) > (SELECT a.name, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.name, f.id LIMIT :limit"
)


@dataclass(frozen=True)
class ResidentFilter:
    name: str | None = None  # the start of the name
    phone_hash: bytes | None = None  # keyed hash of the canonical phone: theirs or one of their contacts
    id_number_hash: bytes | None = None
    unit_id: UUID | None = None
    building_id: UUID | None = None
    role: str | None = None
    current: bool = True  # living in the project now (an open stay); False: anyone on file
    problem: str | None = None  # a check of docs/archive.md §7: the current residents failing it


async def residents_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_RESIDENTS_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def resident_page(db: Reader, project_id: UUID, f: ResidentFilter, after: UUID | None, limit: int) -> list[Row[Any]]:
    """A project's residents by name; `total` on each row counts the whole filtered list."""
    placed = f.unit_id is not None or f.building_id is not None or f.role is not None
    return await db.all(_RESIDENT_PAGE, {
        "o": db.org_id, "p": project_id, "name": _like_safe(f.name), "phone": f.phone_hash, "id_number": f.id_number_hash,
        "stay": f.current or placed, "unit": f.unit_id, "building": f.building_id, "role": f.role, "current": f.current,
        "problem": f.problem, "verified_since": cutoffs(beijing_today())["verified_since"], "after": after, "limit": limit,
    })


async def stays_of_residents(db: Reader, resident_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_STAYS_BY_RESIDENT, {"o": db.org_id, "ids": list(resident_ids)})


async def stays_in_units(db: Reader, unit_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_STAYS_BY_UNIT, {"o": db.org_id, "ids": list(unit_ids)})


async def open_cases_of_residents(db: Reader, resident_ids: Sequence[UUID]) -> list[Row[Any]]:
    """Cases the residents reported that are not finished, oldest first (`reporter_resident_id` says whose)."""
    return await db.all(_OPEN_CASES, {"o": db.org_id, "ids": list(resident_ids)})


async def open_cases_in_units(db: Reader, unit_ids: Sequence[UUID]) -> list[Row[Any]]:
    """Cases about the flats that are not finished, whoever reported them, oldest first (`unit_id` says which)."""
    return await db.all(_OPEN_CASES_BY_UNIT, {"o": db.org_id, "ids": list(unit_ids)})


async def recent_cases_of_residents(db: Reader, asks: Sequence[tuple[UUID, int]]) -> list[list[Row[Any]]]:
    """For each (resident, n) asked, their n newest cases in any state (n at most RECENT_LIMIT)."""
    rows = await db.all(_RECENT_CASES, {"o": db.org_id, "ids": [r for r, _ in asks], "limits": [min(n, RECENT_LIMIT) for _, n in asks]})
    out: list[list[Row[Any]]] = [[] for _ in asks]
    for row in rows:
        out[row.slot - 1].append(row)
    return out
