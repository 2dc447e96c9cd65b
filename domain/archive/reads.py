"""Read models of the archive's places: buildings and flats, by id for the dataloaders and as pages
for the lists. Row-level security limits every statement to the caller's company and projects.
A page's cursor is the last row's id; the next page starts after that row in the list's order
(a cursor whose row left the list answers an empty page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.archive.flat_query import KEY_PATTERN, FlatQuery
from domain.archive.accuracy import UNITS, offenders
from domain.reads import Reader, Row

BUILDING_COLUMNS = (
    "b.id, b.project_id, b.name, b.floors, "
    "(SELECT count(*) FROM units n WHERE n.org_id = b.org_id AND n.building_id = b.id) AS unit_count"
)
# "3号楼 2单元 1502": the flat as people say it, one rule for every reader.
UNIT_COLUMNS = (
    "u.id, u.project_id, u.building_id, u.entrance, u.number, u.floor, u.area_m2, u.use, u.vacant, "
    "concat_ws(' ', b.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number) AS label"
)
UNIT_FROM = "units u JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id"
_KEY = f"regexp_replace(upper({{}}), '{KEY_PATTERN}', '', 'g')"
# Part of a flat number (flat_query.py), one rule for callerLookup and `units`: with :partial the
# number is any part of the flat's, else the whole of it; the building's and entrance's letters
# and digits when typed. Binds :partial, :number, :building, :entrance; NULL :number matches all.
FLAT_MATCH = (
    "(CAST(:number AS text) IS NULL OR CASE WHEN CAST(:partial AS boolean) "
    "  THEN upper(u.number) LIKE '%' || CAST(:number AS text) || '%' ELSE upper(u.number) = CAST(:number AS text) END) "
    f"AND (CAST(:building AS text) IS NULL OR {_KEY.format('b.name')} = :building) "
    f"AND (CAST(:entrance AS text) IS NULL OR {_KEY.format('u.entrance')} = :entrance)"
)

_BUILDINGS_BY_ID = text(f"SELECT {BUILDING_COLUMNS} FROM buildings b WHERE b.org_id = :o AND b.id = ANY(:ids)")
_UNITS_BY_ID = text(f"SELECT {UNIT_COLUMNS} FROM {UNIT_FROM} WHERE u.org_id = :o AND u.id = ANY(:ids)")
# The filtered list once, its count over all of it, the page after the cursor's row.
_BUILDING_PAGE = text(
    f"WITH f AS (SELECT {BUILDING_COLUMNS} FROM buildings b "
    "  WHERE b.org_id = :o AND b.project_id = :p AND (CAST(:name AS text) IS NULL OR b.name LIKE :name || '%')) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.name, f.id) > (SELECT a.name, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.name, f.id LIMIT :limit"
)
# A filtered list of flats (in one building: {building}), its count, the page after {after}'s row.
_UNIT_LIST = (
    f"WITH f AS (SELECT {UNIT_COLUMNS}, b.name AS building_name FROM {UNIT_FROM} "
    "  WHERE u.org_id = :o AND u.project_id = :p AND b.project_id = :p "
    "  AND ({building} IS NULL OR u.building_id = {building}) "
    "  AND (CAST(:entrance_name AS text) IS NULL OR u.entrance = :entrance_name) "
    "  AND (CAST(:floor AS integer) IS NULL OR u.floor = :floor) "
    f"  AND {FLAT_MATCH} "
    "  AND (CAST(:use AS text) IS NULL OR u.use = :use) "
    "  AND (CAST(:vacant AS boolean) IS NULL OR u.vacant = :vacant) "
    f"  AND {offenders(UNITS)}) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE {after} IS NULL OR (f.building_name, f.entrance, f.floor, f.number, f.id) > "
    "  (SELECT a.building_name, a.entrance, a.floor, a.number, a.id FROM f a WHERE a.id = {after}) "
    "ORDER BY f.building_name, f.entrance, f.floor, f.number, f.id LIMIT :limit"
)
_UNIT_PAGE = text(_UNIT_LIST.format(building="CAST(:building_id AS uuid)", after="CAST(:after AS uuid)"))
# The same page for several buildings at once (a page of buildings, each with its flats), each
# with its own cursor; `slot` says which of the asked pages a row belongs to.
_UNIT_PAGES = text(
    "SELECT want.slot, k.* FROM unnest(CAST(:buildings AS uuid[]), CAST(:afters AS uuid[])) "
    "  WITH ORDINALITY AS want(building_id, after, slot) "
    f"CROSS JOIN LATERAL ({_UNIT_LIST.format(building='want.building_id', after='want.after')}) k "
    "ORDER BY want.slot"
)


@dataclass(frozen=True)
class UnitFilter:
    building_id: UUID | None = None
    entrance: str | None = None
    floor: int | None = None
    flat: FlatQuery | None = None  # part of the flat number, as parsed
    use: str | None = None
    vacant: bool | None = None
    problem: str | None = None  # a check of docs/archive.md §7: the flats failing it


def _like_safe(value: str | None) -> str | None:
    """What a person typed, taken literally inside LIKE."""
    if value is None:
        return None
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def buildings_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_BUILDINGS_BY_ID, {"o": db.org_id, "ids": list(ids)})


def flat_terms(q: FlatQuery | None) -> dict[str, Any]:
    """FLAT_MATCH's parameters; a partial number is taken literally inside LIKE."""
    if q is None:
        return {"number": None, "partial": None, "building": None, "entrance": None}
    return {"number": _like_safe(q.number) if q.partial else q.number, "partial": q.partial,
            "building": q.building, "entrance": q.entrance}


async def units_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_UNITS_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def building_page(db: Reader, project_id: UUID, name: str | None, after: UUID | None, limit: int) -> list[Row[Any]]:
    """A project's buildings by name; `total` on each row counts the whole filtered list."""
    return await db.all(_BUILDING_PAGE, {"o": db.org_id, "p": project_id, "name": _like_safe(name), "after": after, "limit": limit})


def _unit_terms(f: UnitFilter) -> dict[str, Any]:
    return {"entrance_name": f.entrance, "floor": f.floor, "use": f.use, "vacant": f.vacant, "problem": f.problem,
            **flat_terms(f.flat)}


async def unit_page(db: Reader, project_id: UUID, f: UnitFilter, after: UUID | None, limit: int) -> list[Row[Any]]:
    """A project's flats by building, entrance, floor and number."""
    return await db.all(_UNIT_PAGE, {"o": db.org_id, "p": project_id, "building_id": f.building_id, "after": after, "limit": limit,
                                     **_unit_terms(f)})


async def unit_pages(db: Reader, project_id: UUID, f: UnitFilter, pages: Sequence[tuple[UUID, UUID | None]],
                     limit: int) -> list[list[Row[Any]]]:
    """One page of flats for each (building, cursor) asked, in one statement; `f.building_id` is
    not read (each page names its building)."""
    rows = await db.all(_UNIT_PAGES, {"o": db.org_id, "p": project_id, "buildings": [b for b, _ in pages], "afters": [a for _, a in pages],
                                      "limit": limit, **_unit_terms(f)})
    out: list[list[Row[Any]]] = [[] for _ in pages]
    for r in rows:
        out[r.slot - 1].append(r)
    return out
