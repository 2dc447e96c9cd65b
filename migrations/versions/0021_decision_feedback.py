"""决策反馈 Decision feedback: a recurring out-of-remit problem of a project — one case category and
outside body (or none named) in one Beijing month — reported to a government department and
tracked reported → acknowledged → corrected → implemented, each step with its evidence.

`decision_feedback_cases` are the cases an item stands for; `decision_feedback_steps` its history
(the report itself is the first step). The same problem is reported once per period: NULLS NOT
DISTINCT, so two reports without a body collide too.

Revision ID: 0021
Revises: 0020
"""

from migrations.rls import project_rule, protect, run_script

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_STATUSES = "('reported', 'acknowledged', 'corrected', 'implemented')"


def upgrade() -> None:
    run_script(f"""
CREATE TABLE decision_feedback_items (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  category_id      uuid NOT NULL,
  body_id          uuid,             -- NULL: out of remit, but no body named (declined cases)
  period           date NOT NULL CHECK (extract(day FROM period) = 1),   -- first day of a Beijing month
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary          text NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
  status           text NOT NULL DEFAULT 'reported' CHECK (status IN {_STATUSES}),
  case_count       integer NOT NULL CHECK (case_count >= 1),
  reported_at      timestamptz NOT NULL,
  reported_by      text NOT NULL,
  acknowledged_at  timestamptz,
  corrected_at     timestamptz,
  implemented_at   timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE NULLS NOT DISTINCT (org_id, project_id, category_id, body_id, period),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, category_id) REFERENCES case_categories (org_id, id),
  FOREIGN KEY (org_id, project_id, body_id) REFERENCES outside_bodies (org_id, project_id, id),
  -- Each step's time is set exactly when the status has reached it.
  CHECK ((acknowledged_at IS NOT NULL) = (status IN ('acknowledged', 'corrected', 'implemented'))),
  CHECK ((corrected_at IS NOT NULL) = (status IN ('corrected', 'implemented'))),
  CHECK ((implemented_at IS NOT NULL) = (status = 'implemented'))
);
CREATE INDEX decision_feedback_items_recent ON decision_feedback_items (org_id, project_id, reported_at DESC, id);

CREATE TABLE decision_feedback_cases (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  item_id      uuid NOT NULL,
  case_id      uuid NOT NULL,
  PRIMARY KEY (org_id, item_id, case_id),
  FOREIGN KEY (org_id, project_id, item_id) REFERENCES decision_feedback_items (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);
CREATE INDEX decision_feedback_cases_case ON decision_feedback_cases (org_id, case_id);

CREATE TABLE decision_feedback_steps (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  item_id      uuid NOT NULL,
  status       text NOT NULL CHECK (status IN {_STATUSES}),
  evidence     text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 2000),
  attachments  text[] NOT NULL DEFAULT '{{}}' CHECK (cardinality(attachments) <= 20),
  actor        text NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, item_id, status),   -- each status is reached once
  FOREIGN KEY (org_id, project_id, item_id) REFERENCES decision_feedback_items (org_id, project_id, id)
);
""" + protect("decision_feedback_items", project_rule(), "SELECT, INSERT, UPDATE")
      + protect("decision_feedback_cases", project_rule(), "SELECT, INSERT")
      + protect("decision_feedback_steps", project_rule(), "SELECT, INSERT"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS decision_feedback_steps, decision_feedback_cases, decision_feedback_items;")
