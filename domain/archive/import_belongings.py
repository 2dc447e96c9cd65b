"""Checking and merging the staged 车辆, 宠物 and 员工 (docs/archive.md §6.3 steps 5-6): owners by
phone among the project's residents (the 住户 sheet is merged before, so the file's people count),
a masked owner phone keeps the record's owner when the mask is theirs, staff by phone."""

from __future__ import annotations

from domain.archive.import_sql import FLAT_NAME, RESOLVE_FLAT, Counts, Staged, resolve_owner

_KEEP_OWNER = """
UPDATE import_{t} s SET resident_id = x.resident_id
FROM {table} x JOIN residents r ON r.org_id = x.org_id AND r.id = x.resident_id
WHERE x.org_id = :o AND x.project_id = :p AND {match} AND s.owner_masked IS NOT NULL AND r.phone_masked = s.owner_masked"""


async def _owner(db: Staged, sheet: str, table: str, match: str) -> None:
    await resolve_owner(db, sheet, "owner_phone", "owner_hash", "resident_id")
    await db.run(_KEEP_OWNER.format(t=sheet, table=table, match=match))
    await db.flag(sheet, "MASKED_VALUE", "owner_phone", f"SELECT row, owner_masked AS value FROM import_{sheet} "
                  "WHERE NOT bad AND owner_masked IS NOT NULL AND resident_id IS NULL")


async def vehicles(db: Staged) -> Counts:
    await _owner(db, "vehicles", "vehicles", "x.plate = s.plate")
    await db.run("UPDATE import_vehicles s SET space_id = x.id FROM parking_spaces x WHERE x.org_id = :o "
                 "AND x.project_id = :p AND x.area = coalesce(s.area, '') AND x.number = s.space")
    name = "coalesce(s.area || ' ', '') || s.space"
    await db.flag("vehicles", "UNKNOWN_SPACE", "space", f"SELECT s.row, {name} AS value, {name} AS name "
                  "FROM import_vehicles s WHERE NOT s.bad AND s.space IS NOT NULL AND s.space_id IS NULL")
    await db.run("""
UPDATE import_vehicles s SET kind = coalesce(s.kind, x.kind), brand = coalesce(s.brand, x.brand),
  colour = coalesce(s.colour, x.colour), space_id = coalesce(s.space_id, x.space_id),
  valid_until = coalesce(s.valid_until, x.valid_until)
FROM vehicles x WHERE x.org_id = :o AND x.project_id = :p AND x.plate = s.plate""")
    return await db.counts("vehicles", """
INSERT INTO vehicles AS x (org_id, project_id, resident_id, plate, kind, brand, colour, space_id, valid_until)
SELECT :o, :p, resident_id, plate, coalesce(kind, 'car'), coalesce(brand, ''), coalesce(colour, ''), space_id, valid_until
FROM import_vehicles WHERE NOT bad
ON CONFLICT (org_id, project_id, plate) DO UPDATE SET resident_id = excluded.resident_id, kind = excluded.kind,
  brand = excluded.brand, colour = excluded.colour, space_id = excluded.space_id, valid_until = excluded.valid_until,
  updated_at = now()
WHERE x.org_id = :o AND (x.resident_id, x.kind, x.brand, x.colour, x.space_id, x.valid_until) IS DISTINCT FROM
      (excluded.resident_id, excluded.kind, excluded.brand, excluded.colour, excluded.space_id, excluded.valid_until)
RETURNING (xmax = 0) AS created""")


async def pets(db: Staged) -> Counts:
    await _owner(db, "pets", "pets", "x.name = s.name")
    await db.run(RESOLVE_FLAT.format(t="pets", number="number"))
    await db.flag("pets", "UNKNOWN_UNIT", "number", f"SELECT s.row, {FLAT_NAME} AS value, {FLAT_NAME} AS name "
                  "FROM import_pets s WHERE NOT s.bad AND s.number IS NOT NULL AND s.unit_id IS NULL")
    # Two phones of one person (one masked) name the same pet twice.
    await db.flag("pets", "DUPLICATE_ROW", "name", """
SELECT row, name AS value, first FROM (
  SELECT row, name, min(row) OVER (PARTITION BY resident_id, name) AS first FROM import_pets WHERE NOT bad) d
WHERE row <> first""")
    await db.run("""
UPDATE import_pets s SET breed = coalesce(s.breed, x.breed), licence_no = coalesce(s.licence_no, x.licence_no),
  vaccinated_on = coalesce(s.vaccinated_on, x.vaccinated_on), unit_id = coalesce(s.unit_id, x.unit_id)
FROM pets x WHERE x.org_id = :o AND x.project_id = :p AND x.resident_id = s.resident_id AND x.name = s.name""")
    return await db.counts("pets", """
INSERT INTO pets AS x (org_id, project_id, resident_id, unit_id, name, species, breed, licence_no, vaccinated_on)
SELECT :o, :p, resident_id, unit_id, name, species, coalesce(breed, ''), coalesce(licence_no, ''), vaccinated_on
FROM import_pets WHERE NOT bad
ON CONFLICT (org_id, project_id, resident_id, name) DO UPDATE SET unit_id = excluded.unit_id, species = excluded.species,
  breed = excluded.breed, licence_no = excluded.licence_no, vaccinated_on = excluded.vaccinated_on, updated_at = now()
WHERE x.org_id = :o AND (x.unit_id, x.species, x.breed, x.licence_no, x.vaccinated_on) IS DISTINCT FROM
      (excluded.unit_id, excluded.species, excluded.breed, excluded.licence_no, excluded.vaccinated_on)
RETURNING (xmax = 0) AS created""")


async def staff(db: Staged) -> Counts:
    await db.run("UPDATE import_staff s SET department_id = d.id FROM departments d "
                 "WHERE d.org_id = :o AND d.project_id = :p AND d.name = s.department")
    await db.flag("staff", "UNKNOWN_DEPARTMENT", "department", "SELECT row, department AS value, department AS name "
                  "FROM import_staff WHERE NOT bad AND department_id IS NULL")
    # A masked number: the project's one staff member of that name with that mask keeps theirs.
    await db.run("""
UPDATE import_staff s SET phone_enc = x.phone_enc, phone_hash = x.phone_hash
FROM (SELECT name, phone_masked, min(id::text)::uuid AS id, count(*) AS n FROM staff
      WHERE org_id = :o AND project_id = :p AND phone_masked IS NOT NULL GROUP BY name, phone_masked) m
JOIN staff x ON x.org_id = :o AND x.id = m.id
WHERE s.phone_hash IS NULL AND m.name = s.name AND m.phone_masked = s.phone_masked AND m.n = 1""")
    await db.flag("staff", "MASKED_VALUE", "phone", "SELECT row, phone_masked AS value FROM import_staff "
                  "WHERE NOT bad AND phone_hash IS NULL")
    await db.flag("staff", "DUPLICATE_ROW", "phone", """
SELECT row, name AS value, first FROM (
  SELECT row, name, min(row) OVER (PARTITION BY phone_hash) AS first FROM import_staff WHERE NOT bad) d
WHERE row <> first""")
    await db.run("UPDATE import_staff s SET title = coalesce(s.title, x.title) FROM staff x "
                 "WHERE x.org_id = :o AND x.project_id = :p AND x.phone_hash = s.phone_hash")
    return await db.counts("staff", """
INSERT INTO staff AS x (org_id, project_id, department_id, name, title, phone_enc, phone_hash, phone_masked)
SELECT :o, :p, department_id, name, coalesce(title, ''), phone_enc, phone_hash, phone_masked FROM import_staff WHERE NOT bad
ON CONFLICT (org_id, project_id, phone_hash) WHERE phone_hash IS NOT NULL
DO UPDATE SET name = excluded.name, department_id = excluded.department_id, title = excluded.title
WHERE x.org_id = :o AND (x.name, x.department_id, x.title) IS DISTINCT FROM (excluded.name, excluded.department_id, excluded.title)
RETURNING (xmax = 0) AS created""")
