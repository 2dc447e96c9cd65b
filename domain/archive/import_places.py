"""Checking and merging the staged 楼栋, 房屋 and 车位 (docs/archive.md §6.3 steps 5-6). Each sheet
first takes from the archive what its rows name (ids, and a left-empty cell's value on file, so
an import only adds and changes), flags what it cannot find, then upserts on its natural key:
a row whose values equal the record's writes nothing and keeps its `updated_at`."""

from __future__ import annotations

from domain.archive.import_sql import FLAT_NAME, RESOLVE_FLAT, Counts, Staged, resolve_owner


async def buildings(db: Staged) -> Counts:
    return await db.counts("buildings", """
INSERT INTO buildings AS b (org_id, project_id, name, floors)
SELECT :o, :p, name, floors FROM import_buildings WHERE NOT bad
ON CONFLICT (org_id, project_id, name) DO UPDATE SET floors = excluded.floors, updated_at = now()
WHERE b.org_id = :o AND b.floors IS DISTINCT FROM excluded.floors
RETURNING (xmax = 0) AS created""")


async def units(db: Staged) -> Counts:
    await db.run("UPDATE import_units s SET building_id = b.id FROM buildings b "
                 "WHERE b.org_id = :o AND b.project_id = :p AND b.name = s.building")
    await db.flag("units", "UNKNOWN_BUILDING", "building",
                  "SELECT row, building AS value, building AS name FROM import_units WHERE NOT bad AND building_id IS NULL")
    await db.run("""
UPDATE import_units s SET area_m2 = coalesce(s.area_m2, u.area_m2), use = coalesce(s.use, u.use),
  vacant = coalesce(s.vacant, u.vacant)
FROM units u WHERE u.org_id = :o AND u.project_id = :p AND u.building_id = s.building_id
  AND u.entrance = s.entrance AND u.number = s.number""")
    return await db.counts("units", """
INSERT INTO units AS u (org_id, project_id, building_id, entrance, number, floor, area_m2, use, vacant)
SELECT :o, :p, building_id, entrance, number, floor, area_m2, coalesce(use, 'residential'), coalesce(vacant, false)
FROM import_units WHERE NOT bad
ON CONFLICT (org_id, project_id, building_id, entrance, number) DO UPDATE SET floor = excluded.floor,
  area_m2 = excluded.area_m2, use = excluded.use, vacant = excluded.vacant, updated_at = now()
WHERE u.org_id = :o
  AND (u.floor, u.area_m2, u.use, u.vacant) IS DISTINCT FROM (excluded.floor, excluded.area_m2, excluded.use, excluded.vacant)
RETURNING (xmax = 0) AS created""")


async def parking(db: Staged) -> Counts:
    await db.run(RESOLVE_FLAT.format(t="parking", number="unit_number"))
    flat = FLAT_NAME.replace("s.number", "s.unit_number")
    await db.flag("parking", "UNKNOWN_UNIT", "unit_number", f"SELECT s.row, {flat} AS value, {flat} AS name FROM import_parking s "
                  "WHERE NOT s.bad AND s.unit_number IS NOT NULL AND s.unit_id IS NULL")
    await resolve_owner(db, "parking", "holder_phone", "holder_hash", "holder_id")
    # A masked holder (an export edited and sent back) keeps the space's holder when the mask is theirs.
    await db.run("""
UPDATE import_parking s SET holder_id = x.holder_id
FROM parking_spaces x JOIN residents r ON r.org_id = x.org_id AND r.id = x.holder_id
WHERE x.org_id = :o AND x.project_id = :p AND x.area = s.area AND x.number = s.number
  AND s.holder_masked IS NOT NULL AND r.phone_masked = s.holder_masked""")
    await db.flag("parking", "MASKED_VALUE", "holder_phone", "SELECT row, holder_masked AS value FROM import_parking "
                  "WHERE NOT bad AND holder_masked IS NOT NULL AND holder_id IS NULL")
    await db.run("""
UPDATE import_parking s SET tenure = coalesce(s.tenure, x.tenure), unit_id = coalesce(s.unit_id, x.unit_id),
  holder_id = coalesce(s.holder_id, x.holder_id), lease_until = coalesce(s.lease_until, x.lease_until)
FROM parking_spaces x WHERE x.org_id = :o AND x.project_id = :p AND x.area = s.area AND x.number = s.number""")
    return await db.counts("parking", """
INSERT INTO parking_spaces AS x (org_id, project_id, area, number, tenure, unit_id, holder_id, lease_until)
SELECT :o, :p, area, number, coalesce(tenure, 'owned'), unit_id, holder_id, lease_until FROM import_parking WHERE NOT bad
ON CONFLICT (org_id, project_id, area, number) DO UPDATE SET tenure = excluded.tenure, unit_id = excluded.unit_id,
  holder_id = excluded.holder_id, lease_until = excluded.lease_until, updated_at = now()
WHERE x.org_id = :o AND (x.tenure, x.unit_id, x.holder_id, x.lease_until)
  IS DISTINCT FROM (excluded.tenure, excluded.unit_id, excluded.holder_id, excluded.lease_until)
RETURNING (xmax = 0) AS created""")
