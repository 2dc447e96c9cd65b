"""The hazard register (隐患台账), docs/centre-day.md §2.2: a hazard reported from a patrol visit,
an inspection, a case or by anyone who saw it, numbered per project and Beijing day as cases are
(`YH-<project code>-<yyyymmdd>-<nn>`), given to an owner with a deadline, rectified, and verified by
someone other than its owner — or its risk accepted. Its deadline plants the item ladder's
timers (`item_timers` already allows `hazard`); a major hazard also raises a red `hazard` alert.

HQ dragnet sweeps (拉网式排查, §2.3): headquarters' checklist launched to every project (or those
named), each project's part (`sweep_projects`, due with the sweep, its timers `sweep_project`)
and its results item by item; a `hazard` result puts a hazard on the register (source `sweep`).

Revision ID: 0050_hazards
Revises: 0049_people
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script

revision = "0050_hazards"
down_revision = "0049_people"
branch_labels = None
depends_on = None

OLD_RULES = "('skip_level', 'risk_words', 'cluster', 'repeat_complainant', 'sla_breach', 'satisfaction', 'collection')"
RULES = "('skip_level', 'risk_words', 'cluster', 'repeat_complainant', 'sla_breach', 'satisfaction', 'collection', 'hazard')"

_TABLES = f"""
-- One counter per project and Beijing day, as case_numbers: the row lock makes the numbers
-- gapless, and a rolled-back report gives its number back.
CREATE TABLE hazard_numbers (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  day         date NOT NULL,
  last        integer NOT NULL,
  PRIMARY KEY (org_id, project_id, day),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

CREATE TABLE hazards (
  org_id               uuid NOT NULL,
  project_id           uuid NOT NULL,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  number               text NOT NULL,
  source               text NOT NULL CHECK (source IN ('patrol', 'sweep', 'inspection', 'case', 'report')),
  source_id            uuid,
  title                text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  description          text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  category             text NOT NULL CHECK (category IN ('fire', 'electrical', 'gas', 'elevator', 'structure', 'falling',
                                                         'water', 'traffic', 'other')),
  grade                text NOT NULL CHECK (grade IN ('major', 'significant', 'general', 'low')),
  building_id          uuid,
  unit_id              uuid,
  place                text NOT NULL DEFAULT '' CHECK (length(place) <= 200),
  photos               text[] NOT NULL DEFAULT '{{}}' CHECK (cardinality(photos) <= 9),
  owner_user_id        uuid,
  deadline             timestamptz NOT NULL,
  state                text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'rectifying', 'rectified', 'verified', 'accepted')),
  rectification_note   text CHECK (length(rectification_note) <= 2000),
  rectification_photos text[] NOT NULL DEFAULT '{{}}' CHECK (cardinality(rectification_photos) <= 9),
  rectified_at         timestamptz,
  rectified_by         text,
  verified_by          text,
  verified_at          timestamptz,
  verify_note          text CHECK (length(verify_note) <= 200),
  failed_count         integer NOT NULL DEFAULT 0,
  accepted_reason      text CHECK (length(accepted_reason) <= 200),
  accepted_by          text,
  reported_by          text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, number),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, owner_user_id) REFERENCES users (org_id, id),
  FOREIGN KEY (org_id, project_id, building_id) REFERENCES buildings (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id),
  CHECK ((source = 'report') = (source_id IS NULL)),
  CHECK (state = 'open' OR owner_user_id IS NOT NULL OR state = 'accepted')
);
CREATE INDEX hazards_open ON hazards (org_id, project_id, state, deadline);

CREATE TABLE sweeps (
  org_id       uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  checklist    jsonb NOT NULL CHECK (jsonb_typeof(checklist) = 'array' AND jsonb_array_length(checklist) BETWEEN 1 AND 100),
  project_ids  uuid[],
  due_at       timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'launched', 'closed')),
  launched_at  timestamptz,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  CHECK ((state = 'draft') = (launched_at IS NULL))
);

CREATE TABLE sweep_projects (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  sweep_id       uuid NOT NULL,
  state          text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_progress', 'submitted')),
  submitted_at   timestamptz,
  submitted_by   text,
  items_checked  integer NOT NULL DEFAULT 0,
  hazards_found  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, sweep_id, project_id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, sweep_id) REFERENCES sweeps (org_id, id)
);

CREATE TABLE sweep_results (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  sweep_id    uuid NOT NULL,
  item_code   text NOT NULL,
  result      text NOT NULL CHECK (result IN ('ok', 'hazard', 'na')),
  hazard_id   uuid,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  by          text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, sweep_id, project_id, item_code),
  FOREIGN KEY (org_id, sweep_id, project_id) REFERENCES sweep_projects (org_id, sweep_id, project_id),
  FOREIGN KEY (org_id, project_id, hazard_id) REFERENCES hazards (org_id, project_id, id),
  CHECK ((result = 'hazard') = (hazard_id IS NOT NULL))
);

ALTER TABLE alerts DROP CONSTRAINT alerts_rule_check, ADD CONSTRAINT alerts_rule_check CHECK (rule IN {RULES});
"""


def upgrade() -> None:
    run_script(_TABLES
               + protect("hazard_numbers", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("hazards", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("sweeps", ORG_ONLY, "SELECT, INSERT, UPDATE")
               + protect("sweep_projects", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("sweep_results", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script(f"DELETE FROM alerts WHERE rule NOT IN {OLD_RULES};"
               f"ALTER TABLE alerts DROP CONSTRAINT alerts_rule_check, ADD CONSTRAINT alerts_rule_check CHECK (rule IN {OLD_RULES});"
               "DROP TABLE IF EXISTS sweep_results, sweep_projects, sweeps, hazards, hazard_numbers;")
