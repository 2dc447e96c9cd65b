"""The property archive (档案), docs/archive.md §2: a resident becomes a person (or company) in one
project, and `occupancies` say which flats they live in, in which role, from when to when. Every
old `residents.unit_id` row becomes one open stay with the same resident id, so cases and alert
scopes that name a resident keep pointing at it. Contacts, parking spaces, vehicles and pets get
their tables; each natural key is a unique index, so a later re-import is an upsert on it.

Revision ID: 0027_archive
Revises: 0026_case_order
"""

from migrations.rls import project_rule, protect, run_script

revision = "0027_archive"
down_revision = "0026_case_order"
branch_labels = None
depends_on = None

_DUPLICATES = """
DO $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM (
    SELECT 1 FROM residents WHERE phone_hash IS NOT NULL
    GROUP BY org_id, project_id, name, phone_hash HAVING count(*) > 1
    UNION ALL
    SELECT 1 FROM residents WHERE id_number_hash IS NOT NULL
    GROUP BY org_id, project_id, id_number_hash HAVING count(*) > 1) d;
  IF n > 0 THEN
    RAISE EXCEPTION 'archive migration: % residents share a name and phone (or an ID number) in one project — '
                    'merge or rename them first', n;
  END IF;
END $$;
"""

_TABLES = """
ALTER TABLE buildings ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE units
  ADD COLUMN entrance text NOT NULL DEFAULT '' CHECK (length(entrance) <= 50),
  ADD COLUMN use text NOT NULL DEFAULT 'residential' CHECK (use IN ('residential', 'office', 'shop', 'storage', 'other')),
  ADD COLUMN vacant boolean NOT NULL DEFAULT false,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- Every old flat has entrance '', so the wider key holds what the old one held.
ALTER TABLE units DROP CONSTRAINT units_org_id_project_id_building_id_number_key;
CREATE UNIQUE INDEX units_natural ON units (org_id, project_id, building_id, entrance, number);
CREATE INDEX units_number ON units (org_id, project_id, number);

ALTER TABLE residents
  ADD COLUMN kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
  ADD COLUMN id_kind text CHECK (id_kind IN ('id_card', 'passport', 'hk_macao', 'taiwan', 'foreign_permanent', 'other')),
  ADD COLUMN note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN erased_at timestamptz,
  ADD COLUMN erased_by text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ALTER COLUMN unit_id DROP NOT NULL,
  ALTER COLUMN role DROP NOT NULL,
  ADD CONSTRAINT residents_project_id UNIQUE (org_id, project_id, id);
UPDATE residents SET id_kind = 'id_card' WHERE id_number_hash IS NOT NULL;
CREATE UNIQUE INDEX residents_natural_phone ON residents (org_id, project_id, name, phone_hash)
  WHERE phone_hash IS NOT NULL AND erased_at IS NULL;
CREATE UNIQUE INDEX residents_natural_id_number ON residents (org_id, project_id, id_number_hash)
  WHERE id_number_hash IS NOT NULL AND erased_at IS NULL;
CREATE INDEX residents_project_phone ON residents (org_id, project_id, phone_hash);

CREATE TABLE occupancies (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  unit_id          uuid NOT NULL,
  resident_id      uuid NOT NULL,
  role             text NOT NULL CHECK (role IN ('owner', 'tenant', 'family')),
  primary_contact  boolean NOT NULL DEFAULT false,
  moved_in_on      date,
  moved_out_on     date,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  CHECK (moved_out_on IS NULL OR moved_in_on IS NULL OR moved_out_on >= moved_in_on),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, resident_id) REFERENCES residents (org_id, project_id, id)
);
CREATE UNIQUE INDEX occupancies_open ON occupancies (org_id, project_id, unit_id, resident_id) WHERE moved_out_on IS NULL;
CREATE UNIQUE INDEX occupancies_dated ON occupancies (org_id, project_id, unit_id, resident_id, moved_in_on)
  WHERE moved_in_on IS NOT NULL;
CREATE INDEX occupancies_resident ON occupancies (org_id, project_id, resident_id);
CREATE INDEX occupancies_unit_current ON occupancies (org_id, project_id, unit_id) WHERE moved_out_on IS NULL;

CREATE TABLE resident_contacts (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  resident_id    uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('mobile', 'landline', 'email', 'wechat', 'emergency')),
  label          text NOT NULL DEFAULT '' CHECK (length(label) <= 100),
  value_enc      bytea NOT NULL,
  value_hash     bytea NOT NULL,
  value_masked   text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, resident_id) REFERENCES residents (org_id, project_id, id)
);
CREATE UNIQUE INDEX resident_contacts_natural ON resident_contacts (org_id, project_id, resident_id, kind, value_hash);
CREATE INDEX resident_contacts_value ON resident_contacts (org_id, value_hash);

CREATE TABLE parking_spaces (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  area         text NOT NULL DEFAULT '' CHECK (length(area) <= 50),
  number       text NOT NULL CHECK (length(number) BETWEEN 1 AND 50),
  tenure       text NOT NULL DEFAULT 'owned' CHECK (tenure IN ('owned', 'leased', 'public')),
  unit_id      uuid,
  holder_id    uuid,
  lease_until  date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, area, number),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, holder_id) REFERENCES residents (org_id, project_id, id)
);

CREATE TABLE vehicles (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  resident_id  uuid NOT NULL,
  plate        text NOT NULL CHECK (plate ~ '^[^[:space:].a-z]{5,10}$'),
  kind         text NOT NULL DEFAULT 'car' CHECK (kind IN ('car', 'new_energy', 'motorbike', 'other')),
  brand        text NOT NULL DEFAULT '' CHECK (length(brand) <= 50),
  colour       text NOT NULL DEFAULT '' CHECK (length(colour) <= 20),
  space_id     uuid,
  valid_until  date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, plate),
  FOREIGN KEY (org_id, project_id, resident_id) REFERENCES residents (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, space_id) REFERENCES parking_spaces (org_id, project_id, id)
);
CREATE INDEX vehicles_resident ON vehicles (org_id, project_id, resident_id);

CREATE TABLE pets (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  resident_id    uuid NOT NULL,
  unit_id        uuid,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  species        text NOT NULL CHECK (species IN ('dog', 'cat', 'other')),
  breed          text NOT NULL DEFAULT '' CHECK (length(breed) <= 50),
  licence_no     text NOT NULL DEFAULT '' CHECK (length(licence_no) <= 50),
  vaccinated_on  date,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, resident_id, name),
  FOREIGN KEY (org_id, project_id, resident_id) REFERENCES residents (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id)
);
CREATE INDEX pets_resident ON pets (org_id, project_id, resident_id);

-- The reveal limit counts a person's recent reveals (§3).
CREATE INDEX audit_log_reveals ON audit_log (org_id, actor, at) WHERE action = 'personal_data.revealed';
"""

# Every (person, flat, role) becomes an open stay; move-in unknown (NULL), never invented.
_STAYS = """
INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact)
SELECT org_id, project_id, unit_id, id, role, role = 'owner' FROM residents WHERE unit_id IS NOT NULL;
"""

# Erasure never deletes a resident row, so a case's reporter always exists.
_REPORTER_FK = """
ALTER TABLE cases ADD CONSTRAINT cases_reporter_resident
  FOREIGN KEY (org_id, project_id, reporter_resident_id) REFERENCES residents (org_id, project_id, id) NOT VALID;
ALTER TABLE cases VALIDATE CONSTRAINT cases_reporter_resident;
-- A resident's open and recent cases (and the repeat-complainant count) walk this.
CREATE INDEX cases_reporter ON cases (org_id, reporter_resident_id, received_at) WHERE reporter_resident_id IS NOT NULL;
"""


def upgrade() -> None:
    run_script(_DUPLICATES + _TABLES + _STAYS + _REPORTER_FK
               + "".join(protect(t, project_rule())
                         for t in ("occupancies", "resident_contacts", "parking_spaces", "vehicles", "pets")))


# Back to one row per person per flat: a resident keeps the flat of their newest stay; one with
# no stay at all cannot be expressed in the old shape, so the downgrade refuses.
_RESTORE = """
DO $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM residents r
  WHERE r.unit_id IS NULL AND NOT EXISTS (SELECT 1 FROM occupancies o WHERE o.org_id = r.org_id AND o.resident_id = r.id);
  IF n > 0 THEN
    RAISE EXCEPTION 'archive downgrade: % residents live in no flat', n;
  END IF;
END $$;
UPDATE residents r SET unit_id = o.unit_id, role = o.role
FROM (SELECT DISTINCT ON (org_id, resident_id) org_id, resident_id, unit_id, role FROM occupancies
      ORDER BY org_id, resident_id, (moved_out_on IS NULL) DESC, moved_in_on DESC NULLS LAST, created_at DESC) o
WHERE r.org_id = o.org_id AND r.id = o.resident_id AND (r.unit_id IS NULL OR r.role IS NULL);
"""


def downgrade() -> None:
    run_script(_RESTORE + """
ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_reporter_resident;
DROP INDEX IF EXISTS cases_reporter;
DROP INDEX IF EXISTS audit_log_reveals;
DROP TABLE pets, vehicles, parking_spaces, resident_contacts, occupancies;
DROP INDEX residents_natural_phone, residents_natural_id_number, residents_project_phone;
ALTER TABLE residents DROP CONSTRAINT residents_project_id,
  ALTER COLUMN unit_id SET NOT NULL, ALTER COLUMN role SET NOT NULL,
  DROP COLUMN kind, DROP COLUMN id_kind, DROP COLUMN note, DROP COLUMN verified_at,
  DROP COLUMN erased_at, DROP COLUMN erased_by, DROP COLUMN updated_at;
DROP INDEX units_natural, units_number;
ALTER TABLE units ADD CONSTRAINT units_org_id_project_id_building_id_number_key UNIQUE (org_id, project_id, building_id, number),
  DROP COLUMN entrance, DROP COLUMN use, DROP COLUMN vacant, DROP COLUMN updated_at;
ALTER TABLE buildings DROP COLUMN updated_at;
""")
