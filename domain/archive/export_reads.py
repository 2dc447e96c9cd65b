"""The rows of each archive export (docs/archive.md §6.2), one statement per list, named by the
fields of its sheet (`sheets.py`) and holding stored values (`owner`, a date, True) that the writer
labels. Only the masked phone and ID columns are ever selected: an export reveals nothing. Rows
come through a server-side cursor in chunks, so a 100,000-row list is never held whole. Row-level
security limits every statement to the caller's company and projects as well."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from uuid import UUID

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 2_000
_FLAT = ("LEFT JOIN units u ON u.org_id = x.org_id AND u.id = x.unit_id "
         "LEFT JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id")
_STATEMENTS = {
    "buildings": "SELECT b.name AS building, b.floors FROM buildings b WHERE b.org_id = :o AND b.project_id = :p ORDER BY b.name, b.id",
    "units": (
        "SELECT b.name AS building, u.entrance, u.number, u.floor, u.area_m2, u.use, u.vacant "
        "FROM units u JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
        "WHERE u.org_id = :o AND u.project_id = :p ORDER BY b.name, u.entrance, u.floor, u.number, u.id"
    ),
    # Current stays only: a closed one read back has nothing to match by when its move-in date is
    # unknown, and filling 迁出日期 on a current one is how a sheet moves someone out.
    "residents": (
        "SELECT b.name AS building, u.entrance, u.number, r.name, o.role, r.kind, r.phone_masked AS phone, r.id_kind, "
        "r.id_number_masked AS id_number, o.moved_in_on, o.moved_out_on, o.primary_contact, r.note "
        "FROM occupancies o "
        "JOIN residents r ON r.org_id = o.org_id AND r.id = o.resident_id "
        "JOIN units u ON u.org_id = o.org_id AND u.id = o.unit_id "
        "JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
        "WHERE o.org_id = :o AND o.project_id = :p AND o.moved_out_on IS NULL AND r.erased_at IS NULL "
        "ORDER BY b.name, u.entrance, u.number, o.role, r.name, o.id"
    ),
    "parking": (
        "SELECT x.area, x.number AS space, x.tenure, b.name AS building, u.entrance, u.number AS unit_number, "
        "h.phone_masked AS holder_phone, x.lease_until "
        f"FROM parking_spaces x {_FLAT} "
        "LEFT JOIN residents h ON h.org_id = x.org_id AND h.id = x.holder_id "
        "WHERE x.org_id = :o AND x.project_id = :p ORDER BY x.area, x.number, x.id"
    ),
    "vehicles": (
        "SELECT v.plate, v.kind, v.brand, v.colour, r.phone_masked AS owner_phone, s.area, s.number AS space, v.valid_until "
        "FROM vehicles v JOIN residents r ON r.org_id = v.org_id AND r.id = v.resident_id "
        "LEFT JOIN parking_spaces s ON s.org_id = v.org_id AND s.id = v.space_id "
        "WHERE v.org_id = :o AND v.project_id = :p ORDER BY v.plate, v.id"
    ),
    "pets": (
        "SELECT x.name, x.species, x.breed, x.licence_no, x.vaccinated_on, r.phone_masked AS owner_phone, "
        "b.name AS building, u.entrance, u.number "
        f"FROM pets x JOIN residents r ON r.org_id = x.org_id AND r.id = x.resident_id {_FLAT} "
        "WHERE x.org_id = :o AND x.project_id = :p ORDER BY r.name, x.name, x.id"
    ),
    # Active staff: the sheet has no column to say someone left, and reading one back must not rehire them.
    "staff": (
        "SELECT s.name, d.name AS department, s.title, s.phone_masked AS phone "
        "FROM staff s LEFT JOIN departments d ON d.org_id = s.org_id AND d.id = s.department_id "
        "WHERE s.org_id = :o AND s.project_id = :p AND s.active ORDER BY d.name NULLS LAST, s.name, s.id"
    ),
}
KINDS = tuple(_STATEMENTS)
_PROJECT = text("SELECT code, name FROM projects WHERE org_id = :o AND id = :p")


async def export_project(conn: AsyncConnection, org_id: UUID, project_id: UUID) -> tuple[str, str] | None:
    """The project's code and name, or None when the caller does not see it."""
    row = (await conn.execute(_PROJECT, {"o": org_id, "p": project_id})).first()
    return (row.code, row.name) if row is not None else None


async def export_rows(conn: AsyncConnection, org_id: UUID, kind: str, project_id: UUID,
                      chunk: int = CHUNK) -> AsyncIterator[Sequence[RowMapping]]:
    """The list's rows in chunks of `chunk`, through a server-side cursor in `conn`'s transaction."""
    result = await conn.stream(text(_STATEMENTS[kind]), {"o": org_id, "p": project_id})
    async for part in result.mappings().partitions(chunk):
        yield part

