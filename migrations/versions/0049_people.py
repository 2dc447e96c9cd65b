"""People's figures (量化考核), docs/centre-day.md §7.

`kpi_person_month` holds, per person and cohort month (the Beijing month a case was received), the
counts of the cases they touched: as first receiver, reception manager, handler, return visitor.
It is recomputed whole for a (project, month) by the `kpi` consumer beside the project buckets and
by `firstcall rollups rebuild`, with one SQL text (domain/kpi/people_rollups.py). A handler's
counts carry the case's department (the one it was registered to), so a department's figures are
sums over its people's rows; the other roles' rows have none. `user_id` has no foreign key: the
first receiver of an integrator's case is the key's actor.
`project_staffing` is the month's headcount and costs (人员与成本), entered by hand.

Revision ID: 0049_people
Revises: 0048_finders
"""

from migrations.rls import project_rule, protect, run_script

revision = "0049_people"
down_revision = "0048_finders"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE kpi_person_month (
  org_id              uuid NOT NULL,
  project_id          uuid NOT NULL,
  month               date NOT NULL CHECK (extract(day FROM month) = 1),
  user_id             uuid NOT NULL,
  department_id       uuid,  -- the handled cases' department; NULL for the other roles' counts
  first_received      integer NOT NULL DEFAULT 0,
  taken_at_reception  integer NOT NULL DEFAULT 0,
  handled             integer NOT NULL DEFAULT 0,
  resolved            integer NOT NULL DEFAULT 0,
  resolved_on_time    integer NOT NULL DEFAULT 0,
  visited             integer NOT NULL DEFAULT 0,
  satisfied           integer NOT NULL DEFAULT 0,
  basically_satisfied integer NOT NULL DEFAULT 0,
  dissatisfied        integer NOT NULL DEFAULT 0,
  broken_promises     integer NOT NULL DEFAULT 0,
  rework              integer NOT NULL DEFAULT 0,
  visits_done         integer NOT NULL DEFAULT 0,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE UNIQUE INDEX kpi_person_month_key ON kpi_person_month
  (org_id, project_id, month, user_id, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid));

CREATE TABLE project_staffing (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  month            date NOT NULL CHECK (extract(day FROM month) = 1),
  headcount        integer NOT NULL CHECK (headcount BETWEEN 0 AND 100000),
  labour_cost_fen  bigint NOT NULL CHECK (labour_cost_fen >= 0),
  other_cost_fen   bigint NOT NULL CHECK (other_cost_fen >= 0),
  by               text NOT NULL,
  at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id, month),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
"""


def upgrade() -> None:
    run_script(_TABLES
               + protect("kpi_person_month", project_rule(), "SELECT, INSERT, UPDATE, DELETE")
               + protect("project_staffing", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS project_staffing, kpi_person_month;")
