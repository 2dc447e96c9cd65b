"""HQ quality inspections (品质检查): checklists, inspections with scores, findings that become cases.

A checklist is the company's; its items never change once created (an inspection must keep
meaning what it scored), so a new version is a new checklist and the old one is switched off.
An inspection belongs to a project; its results score the checklist's items, its findings are
the deductions that need rectification, each registered as a case of that project.

Revision ID: 0014
Revises: 0013
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DEPARTMENT_KINDS = ("customer_service", "engineering", "cleaning", "security", "greening", "quality", "admin")


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    run_script(f"""
CREATE TABLE inspection_checklists (
  org_id      uuid NOT NULL REFERENCES organizations (org_id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  active      boolean NOT NULL DEFAULT true,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, name)
);

CREATE TABLE inspection_checklist_items (
  org_id           uuid NOT NULL,
  checklist_id     uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  position         integer NOT NULL CHECK (position BETWEEN 1 AND 100),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  guidance         text NOT NULL DEFAULT '' CHECK (length(guidance) <= 1000),
  max_points       integer NOT NULL CHECK (max_points BETWEEN 1 AND 100),
  department_kind  text CHECK (department_kind IN {_in(DEPARTMENT_KINDS)}),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, checklist_id, position),
  UNIQUE (org_id, checklist_id, id),
  FOREIGN KEY (org_id, checklist_id) REFERENCES inspection_checklists (org_id, id)
);

CREATE TABLE inspections (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  checklist_id  uuid NOT NULL,
  inspector_id  uuid NOT NULL,
  inspected_on  date NOT NULL,
  state         text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
  total_points  integer CHECK (total_points >= 0),
  max_points    integer CHECK (max_points > 0),
  score         double precision CHECK (score BETWEEN 0 AND 100),
  note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  submitted_at  timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  -- The key its results name, so that they score items of this inspection's checklist only.
  UNIQUE (org_id, id, checklist_id),
  -- A submitted inspection has its score; a draft has none.
  CHECK ((state = 'submitted') = (score IS NOT NULL AND total_points IS NOT NULL AND max_points IS NOT NULL
                                  AND submitted_at IS NOT NULL)),
  CHECK (total_points <= max_points),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, checklist_id) REFERENCES inspection_checklists (org_id, id),
  FOREIGN KEY (org_id, inspector_id) REFERENCES users (org_id, id)
);
-- The month's inspection score per project reads submitted inspections by day.
CREATE INDEX inspections_month ON inspections (org_id, project_id, inspected_on) WHERE state = 'submitted';

CREATE TABLE inspection_results (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  inspection_id   uuid NOT NULL,
  checklist_id    uuid NOT NULL,
  item_id         uuid NOT NULL,
  points          integer CHECK (points >= 0),
  not_applicable  boolean NOT NULL DEFAULT false,
  comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
  PRIMARY KEY (org_id, inspection_id, item_id),
  CHECK (not_applicable = (points IS NULL)),
  FOREIGN KEY (org_id, project_id, inspection_id) REFERENCES inspections (org_id, project_id, id) ON DELETE CASCADE,
  -- The inspection's own checklist, and an item of it: the database refuses another checklist's.
  FOREIGN KEY (org_id, inspection_id, checklist_id) REFERENCES inspections (org_id, id, checklist_id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, checklist_id, item_id) REFERENCES inspection_checklist_items (org_id, checklist_id, id)
);

CREATE TABLE inspection_findings (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  inspection_id   uuid NOT NULL,
  item_id         uuid NOT NULL,
  description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
  severity        text NOT NULL CHECK (severity IN ('emergency', 'major', 'general')),
  kind            text NOT NULL CHECK (kind IN ('repair', 'request')),
  category_code   text NOT NULL CHECK (length(category_code) BETWEEN 1 AND 40),
  public_area     text CHECK (length(public_area) <= 200),
  case_id         uuid,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, inspection_id, item_id),
  -- One finding per case; the alerts look a case up here to tell a finding from a resident's words.
  UNIQUE (org_id, case_id),
  FOREIGN KEY (org_id, inspection_id, item_id) REFERENCES inspection_results (org_id, inspection_id, item_id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, project_id, inspection_id) REFERENCES inspections (org_id, project_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);

-- 10 points when an inspection is present: a project with none that month leaves the weight out,
-- so no company's existing scores move until it inspects.
ALTER TABLE kpi_weights ADD COLUMN inspection double precision NOT NULL DEFAULT 10;
"""
               + protect("inspection_checklists", ORG_ONLY, "SELECT, INSERT, UPDATE")
               + protect("inspection_checklist_items", ORG_ONLY, "SELECT, INSERT")
               + protect("inspections", project_rule())
               + protect("inspection_results", project_rule())
               + protect("inspection_findings", project_rule()))


def downgrade() -> None:
    run_script("""
ALTER TABLE kpi_weights DROP COLUMN IF EXISTS inspection;
DROP TABLE IF EXISTS inspection_findings, inspection_results, inspections, inspection_checklist_items, inspection_checklists;
""")
