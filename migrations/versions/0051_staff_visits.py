"""Return visits to the staff involved in a complaint (投诉回访员工, docs/centre-day.md §7): beside
the resident's return visit, someone other than the person complained about hears their side and
records the outcome. One row per visit, never changed.

Revision ID: 0051_staff_visits
Revises: 0050_hazards
"""

from migrations.rls import project_rule, protect, run_script

revision = "0051_staff_visits"
down_revision = "0050_hazards"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE staff_visits (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL,
  user_id     uuid NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('acknowledged', 'disputed', 'coached')),
  note        text NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
  by          text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
CREATE INDEX staff_visits_case ON staff_visits (org_id, case_id, at);
"""


def upgrade() -> None:
    run_script(_TABLES + protect("staff_visits", project_rule(), "SELECT, INSERT"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS staff_visits;")
