"""Read models of what belongs to residents: contacts (masked value only — the ciphertext is never
selected), parking spaces, vehicles and pets; by id and by owner, flat or space for the
dataloaders, and as pages for the lists. Row-level security limits every statement to the
caller's company and projects. A page's cursor is the last row's id (as in reads.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.archive.reads import _like_safe
from domain.reads import Reader, Row

CONTACT_COLUMNS = "c.id, c.project_id, c.resident_id, c.kind, c.label, c.value_masked"
SPACE_COLUMNS = "s.id, s.project_id, s.area, s.number, s.tenure, s.unit_id, s.holder_id, s.lease_until"
VEHICLE_COLUMNS = "v.id, v.project_id, v.resident_id, v.plate, v.kind, v.brand, v.colour, v.space_id, v.valid_until"
PET_COLUMNS = "p.id, p.project_id, p.resident_id, p.unit_id, p.name, p.species, p.breed, p.licence_no, p.vaccinated_on"

_CONTACTS_OF = text(f"SELECT {CONTACT_COLUMNS} FROM resident_contacts c WHERE c.org_id = :o AND c.resident_id = ANY(:ids) "
                    "ORDER BY c.created_at, c.id")
_SPACES_BY_ID = text(f"SELECT {SPACE_COLUMNS} FROM parking_spaces s WHERE s.org_id = :o AND s.id = ANY(:ids)")
_SPACES_OF_UNITS = text(f"SELECT {SPACE_COLUMNS} FROM parking_spaces s WHERE s.org_id = :o AND s.unit_id = ANY(:ids) "
                        "ORDER BY s.area, s.number, s.id")
_VEHICLES_BY_ID = text(f"SELECT {VEHICLE_COLUMNS} FROM vehicles v WHERE v.org_id = :o AND v.id = ANY(:ids)")
_VEHICLES_OF_RESIDENTS = text(f"SELECT {VEHICLE_COLUMNS} FROM vehicles v WHERE v.org_id = :o AND v.resident_id = ANY(:ids) "
                              "ORDER BY v.plate")
_VEHICLES_OF_SPACES = text(f"SELECT {VEHICLE_COLUMNS} FROM vehicles v WHERE v.org_id = :o AND v.space_id = ANY(:ids) "
                           "ORDER BY v.plate")
_PETS_BY_ID = text(f"SELECT {PET_COLUMNS} FROM pets p WHERE p.org_id = :o AND p.id = ANY(:ids)")
_PETS_OF_RESIDENTS = text(f"SELECT {PET_COLUMNS} FROM pets p WHERE p.org_id = :o AND p.resident_id = ANY(:ids) "
                           "ORDER BY p.name, p.id")

# The filtered list once, its count over all of it, the page after the cursor's row.
_SPACE_PAGE = text(
    f"WITH f AS (SELECT {SPACE_COLUMNS} FROM parking_spaces s WHERE s.org_id = :o AND s.project_id = :p "
    "  AND (CAST(:area AS text) IS NULL OR s.area = :area) "
    "  AND (CAST(:vacant AS boolean) IS NULL OR :vacant = NOT EXISTS ("
    "       SELECT 1 FROM vehicles v WHERE v.org_id = s.org_id AND v.space_id = s.id))) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.area, f.number, f.id) > (SELECT a.area, a.number, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.area, f.number, f.id LIMIT :limit"
)
_VEHICLE_PAGE = text(
    f"WITH f AS (SELECT {VEHICLE_COLUMNS} FROM vehicles v WHERE v.org_id = :o AND v.project_id = :p "
    "  AND (CAST(:plate AS text) IS NULL OR v.plate LIKE '%' || :plate || '%') "
    "  AND (CAST(:resident AS uuid) IS NULL OR v.resident_id = :resident)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.plate, f.id) > (SELECT a.plate, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.plate, f.id LIMIT :limit"
)
# Due: a dog or cat with no shot on record, or one before the cutoff (belongings.vaccination_due).
_DUE = "(p.species IN ('dog', 'cat') AND (p.vaccinated_on IS NULL OR p.vaccinated_on < :cutoff))"
_PET_PAGE = text(
    f"WITH f AS (SELECT {PET_COLUMNS} FROM pets p WHERE p.org_id = :o AND p.project_id = :p "
    "  AND (CAST(:species AS text) IS NULL OR p.species = :species) "
    f"  AND (CAST(:due AS boolean) IS NULL OR :due = {_DUE})) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.name, f.id) > (SELECT a.name, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.name, f.id LIMIT :limit"
)


@dataclass(frozen=True)
class PetFilter:
    species: str | None = None
    vaccination_due: bool | None = None
    cutoff: date | None = None  # vaccinated before this day is due


async def contacts_of_residents(db: Reader, resident_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_CONTACTS_OF, {"o": db.org_id, "ids": list(resident_ids)})


async def spaces_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_SPACES_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def spaces_of_units(db: Reader, unit_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_SPACES_OF_UNITS, {"o": db.org_id, "ids": list(unit_ids)})


async def vehicles_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_VEHICLES_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def vehicles_of_residents(db: Reader, resident_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_VEHICLES_OF_RESIDENTS, {"o": db.org_id, "ids": list(resident_ids)})


async def vehicles_of_spaces(db: Reader, space_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_VEHICLES_OF_SPACES, {"o": db.org_id, "ids": list(space_ids)})


async def pets_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_PETS_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def pets_of_residents(db: Reader, resident_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_PETS_OF_RESIDENTS, {"o": db.org_id, "ids": list(resident_ids)})


async def space_page(db: Reader, project_id: UUID, area: str | None, vacant: bool | None, after: UUID | None,
                     limit: int) -> list[Row[Any]]:
    """A project's spaces by area and number; vacant: no vehicle registered on it."""
    return await db.all(_SPACE_PAGE, {"o": db.org_id, "p": project_id, "area": area, "vacant": vacant, "after": after, "limit": limit})


async def vehicle_page(db: Reader, project_id: UUID, plate: str | None, resident_id: UUID | None, after: UUID | None,
                       limit: int) -> list[Row[Any]]:
    """A project's vehicles by plate; `plate` is part of one, already in the plates' canonical spelling."""
    return await db.all(_VEHICLE_PAGE, {"o": db.org_id, "p": project_id, "plate": _like_safe(plate), "resident": resident_id,
                                        "after": after, "limit": limit})


async def pet_page(db: Reader, project_id: UUID, f: PetFilter, after: UUID | None, limit: int) -> list[Row[Any]]:
    return await db.all(_PET_PAGE, {"o": db.org_id, "p": project_id, "species": f.species, "due": f.vaccination_due, "cutoff": f.cutoff,
                                    "after": after, "limit": limit})
