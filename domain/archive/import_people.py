"""Checking and merging the staged 住户 (docs/archive.md §6.3 steps 5-6). A row is a person and
their stay in a flat. The person is found by name and phone, else the ID number, else — a masked
number from an export — by name and the stored mask, else by name among the flat's current
occupants; the file's rows of one new person (two flats, one phone) become one resident. A stay is
the dated one (same move-in) or the open one of that person in that flat. Neither is one unique
index, so both merge as UPDATE … FROM then INSERT of the rest; a phone or ID number is compared by
hash, so the same number keeps its stored ciphertext and the record its `updated_at`."""

from __future__ import annotations

from domain.archive.import_sql import FLAT_NAME, RESOLVE_FLAT, Counts, Staged

# A number given in full that differs from the one on file (same hash: keep the stored ciphertext).
_NEW_PHONE = "s.phone_hash IS NOT NULL AND s.phone_hash IS DISTINCT FROM r.phone_hash"
_NEW_ID = "s.idno_hash IS NOT NULL AND s.idno_hash IS DISTINCT FROM r.id_number_hash"
_RESIDENTS_OF_PROJECT = "r.org_id = :o AND r.project_id = :p AND r.erased_at IS NULL"
# A new person's rows share this key: the same name and phone, else the ID number, else name in the flat.
_PERSON = ("CASE WHEN s.phone_hash IS NOT NULL THEN 'p' || s.name || encode(s.phone_hash, 'hex') "
           "WHEN s.idno_hash IS NOT NULL THEN 'i' || encode(s.idno_hash, 'hex') ELSE 'f' || s.unit_id || s.name END")


async def residents(db: Staged) -> Counts:
    await db.run(RESOLVE_FLAT.format(t="residents", number="number"))
    await db.flag("residents", "UNKNOWN_UNIT", "number", f"SELECT s.row, {FLAT_NAME} AS value, {FLAT_NAME} AS name "
                  "FROM import_residents s WHERE NOT s.bad AND s.unit_id IS NULL")
    await _find_people(db)
    await _new_people(db)
    # An ID number names one person of the project: another's on file, or another person's in the file, is refused.
    await db.flag("residents", "ID_NUMBER_TAKEN", "id_number", """
SELECT s.row, s.idno_masked AS value FROM import_residents s
WHERE NOT s.bad AND s.idno_hash IS NOT NULL AND (
  EXISTS (SELECT 1 FROM residents r WHERE r.org_id = :o AND r.project_id = :p AND r.erased_at IS NULL
          AND r.id_number_hash = s.idno_hash AND r.id <> s.resident_id)
  OR EXISTS (SELECT 1 FROM import_residents t WHERE NOT t.bad AND t.idno_hash = s.idno_hash
             AND t.resident_id <> s.resident_id AND t.row < s.row))""")
    await _find_stays(db)
    await db.run(f"""
WITH changed AS (
  UPDATE residents r SET name = s.name, kind = coalesce(s.kind, r.kind),
    phone_enc = CASE WHEN {_NEW_PHONE} THEN s.phone_enc ELSE r.phone_enc END,
    phone_masked = CASE WHEN {_NEW_PHONE} THEN s.phone_masked ELSE r.phone_masked END,
    phone_hash = coalesce(s.phone_hash, r.phone_hash),
    id_kind = coalesce(s.id_kind, r.id_kind),
    id_number_enc = CASE WHEN {_NEW_ID} THEN s.idno_enc ELSE r.id_number_enc END,
    id_number_masked = CASE WHEN {_NEW_ID} THEN s.idno_masked ELSE r.id_number_masked END,
    id_number_hash = coalesce(s.idno_hash, r.id_number_hash),
    note = coalesce(s.note, r.note), updated_at = now()
  FROM (SELECT DISTINCT ON (resident_id) * FROM import_residents WHERE NOT bad AND NOT created ORDER BY resident_id, row) s
  WHERE {_RESIDENTS_OF_PROJECT} AND r.id = s.resident_id
    AND (r.name, r.kind, r.phone_hash, r.id_kind, r.id_number_hash, r.note) IS DISTINCT FROM
        (s.name, coalesce(s.kind, r.kind), coalesce(s.phone_hash, r.phone_hash), coalesce(s.id_kind, r.id_kind),
         coalesce(s.idno_hash, r.id_number_hash), coalesce(s.note, r.note))
  RETURNING r.id)
UPDATE import_residents s SET changed = true FROM changed WHERE s.resident_id = changed.id""")
    await db.run("""
INSERT INTO residents (org_id, project_id, id, name, kind, phone_enc, phone_hash, phone_masked, id_kind,
                       id_number_enc, id_number_hash, id_number_masked, note)
SELECT DISTINCT ON (resident_id) :o, :p, resident_id, name, coalesce(kind, 'person'), phone_enc, phone_hash,
       phone_masked, id_kind, idno_enc, idno_hash, idno_masked, coalesce(note, '')
FROM import_residents WHERE NOT bad AND created ORDER BY resident_id, row""")
    await db.run("""
WITH changed AS (
  UPDATE occupancies o SET role = s.role, primary_contact = coalesce(s.primary_contact, o.primary_contact),
    moved_in_on = coalesce(s.moved_in_on, o.moved_in_on), moved_out_on = coalesce(s.moved_out_on, o.moved_out_on),
    updated_at = now()
  FROM import_residents s
  WHERE o.org_id = :o AND o.project_id = :p AND o.id = s.stay_id AND NOT s.bad
    AND (o.role, o.primary_contact, o.moved_in_on, o.moved_out_on) IS DISTINCT FROM
        (s.role, coalesce(s.primary_contact, o.primary_contact), coalesce(s.moved_in_on, o.moved_in_on),
         coalesce(s.moved_out_on, o.moved_out_on))
  RETURNING o.id)
UPDATE import_residents s SET changed = true FROM changed WHERE s.stay_id = changed.id""")
    await db.run("""
INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact, moved_in_on, moved_out_on)
SELECT :o, :p, unit_id, resident_id, role, coalesce(primary_contact, false), moved_in_on, moved_out_on
FROM import_residents WHERE NOT bad AND stay_id IS NULL""")
    # A row is created when its stay is new, updated when its person or stay changed.
    created, updated, unchanged = await db.one("""
SELECT count(*) FILTER (WHERE stay_id IS NULL), count(*) FILTER (WHERE stay_id IS NOT NULL AND changed),
       count(*) FILTER (WHERE stay_id IS NOT NULL AND NOT changed) FROM import_residents WHERE NOT bad""")
    return Counts(created, updated, unchanged)


async def _find_people(db: Staged) -> None:
    pending = "s.resident_id IS NULL AND NOT s.bad"
    await db.run(f"UPDATE import_residents s SET resident_id = r.id FROM residents r WHERE {_RESIDENTS_OF_PROJECT} "
                 "AND s.phone_hash IS NOT NULL AND r.name = s.name AND r.phone_hash = s.phone_hash")
    await db.run(f"UPDATE import_residents s SET resident_id = r.id FROM residents r WHERE {_RESIDENTS_OF_PROJECT} "
                 f"AND {pending} AND s.idno_hash IS NOT NULL AND r.id_number_hash = s.idno_hash")
    # Masked numbers: the one resident of that name whose stored mask is the one in the file.
    for mask, stored in (("phone_masked", "phone_masked"), ("idno_masked", "id_number_masked")):
        hashed = "phone_hash" if mask == "phone_masked" else "idno_hash"
        await db.run(f"""
UPDATE import_residents s SET resident_id = m.id
FROM (SELECT r.name, r.{stored} AS mask, min(r.id::text)::uuid AS id, count(*) AS n FROM residents r
      WHERE {_RESIDENTS_OF_PROJECT} AND r.{stored} IS NOT NULL GROUP BY r.name, r.{stored}) m
WHERE {pending} AND s.{hashed} IS NULL AND s.{mask} IS NOT NULL AND m.name = s.name AND m.mask = s.{mask} AND m.n = 1""")
    # Name in the flat, among its current occupants, when the file gives no number the person lacks.
    occupants = """(SELECT o.unit_id, r.name, min(r.id::text)::uuid AS id, count(*) AS n,
        bool_and(r.phone_hash IS NULL) AS no_phone, bool_and(r.id_number_hash IS NULL) AS no_id
      FROM occupancies o JOIN residents r ON r.org_id = o.org_id AND r.id = o.resident_id
      WHERE o.org_id = :o AND o.project_id = :p AND o.moved_out_on IS NULL AND r.erased_at IS NULL
      GROUP BY o.unit_id, r.name)"""
    await db.run(f"""
UPDATE import_residents s SET resident_id = m.id FROM {occupants} m
WHERE {pending} AND m.unit_id = s.unit_id AND m.name = s.name AND m.n = 1
  AND (s.phone_hash IS NULL OR m.no_phone) AND (s.idno_hash IS NULL OR m.no_id)""")
    await db.flag("residents", "AMBIGUOUS_RESIDENT", "name", f"""
SELECT s.row, s.name AS value FROM import_residents s JOIN {occupants} m ON m.unit_id = s.unit_id AND m.name = s.name
WHERE {pending} AND m.n > 1 AND s.phone_hash IS NULL AND s.idno_hash IS NULL AND s.phone_masked IS NULL""")
    for mask, field in (("phone_masked", "phone"), ("idno_masked", "id_number")):
        hashed = "phone_hash" if mask == "phone_masked" else "idno_hash"
        await db.flag("residents", "MASKED_VALUE", field, f"SELECT s.row, s.{mask} AS value FROM import_residents s "
                      f"WHERE {pending} AND s.{hashed} IS NULL AND s.{mask} IS NOT NULL")


async def _new_people(db: Staged) -> None:
    # MATERIALIZED: the new ids are drawn once per person, not again each time the join rescans them.
    await db.run(f"""
WITH g AS MATERIALIZED (
  SELECT k, gen_random_uuid() AS id
  FROM (SELECT DISTINCT {_PERSON} AS k FROM import_residents s WHERE s.resident_id IS NULL AND NOT s.bad) d)
UPDATE import_residents s SET resident_id = g.id, created = true FROM g
WHERE s.resident_id IS NULL AND NOT s.bad AND {_PERSON} = g.k""")


async def _find_stays(db: Staged) -> None:
    await db.run("""
UPDATE import_residents s SET stay_id = o.id FROM occupancies o
WHERE o.org_id = :o AND o.project_id = :p AND NOT s.bad AND NOT s.created AND s.moved_in_on IS NOT NULL
  AND o.unit_id = s.unit_id AND o.resident_id = s.resident_id AND o.moved_in_on = s.moved_in_on""")
    await db.run("""
UPDATE import_residents s SET stay_id = o.id FROM occupancies o
WHERE o.org_id = :o AND o.project_id = :p AND NOT s.bad AND NOT s.created AND s.stay_id IS NULL
  AND o.unit_id = s.unit_id AND o.resident_id = s.resident_id AND o.moved_out_on IS NULL""")
    # One stay named twice: the same person open twice in one flat, or the same dated stay twice.
    await db.flag("residents", "DUPLICATE_ROW", "name", """
SELECT row, name AS value, first FROM (
  SELECT row, name, bad, min(row) OVER (PARTITION BY unit_id, resident_id, coalesce(stay_id::text, moved_in_on::text, 'open')) AS first
  FROM import_residents WHERE NOT bad) d
WHERE row <> first""")
    await db.flag("residents", "MOVED_OUT_BEFORE_IN", "moved_out_on", """
SELECT s.row, s.moved_out_on::text AS value FROM import_residents s JOIN occupancies o ON o.org_id = :o AND o.id = s.stay_id
WHERE NOT s.bad AND s.moved_out_on < coalesce(s.moved_in_on, o.moved_in_on)""")
