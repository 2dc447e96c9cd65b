"""Early warning (客情预警, DESIGN §5): per-company thresholds and risk words, and alerts — one
open alert per rule and scope (a unique partial index is the deduplication), with the lifecycle
open → acknowledged → resolved.

Revision ID: 0012
Revises: 0011
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("""
CREATE TABLE alert_settings (
  org_id             uuid PRIMARY KEY REFERENCES organizations (org_id),
  risk_words         text[] NOT NULL CHECK (cardinality(risk_words) <= 200),
  cluster_orange     integer NOT NULL CHECK (cluster_orange BETWEEN 2 AND 1000),
  cluster_red        integer NOT NULL CHECK (cluster_red BETWEEN 2 AND 1000),
  cluster_hours      integer NOT NULL CHECK (cluster_hours BETWEEN 1 AND 720),
  repeat_complaints  integer NOT NULL CHECK (repeat_complaints BETWEEN 2 AND 100),
  repeat_days        integer NOT NULL CHECK (repeat_days BETWEEN 1 AND 365),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         text NOT NULL,
  CHECK (cluster_red > cluster_orange)
);

CREATE TABLE alerts (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  rule              text NOT NULL CHECK (rule IN ('skip_level', 'risk_words', 'cluster', 'repeat_complainant')),
  scope_key         text NOT NULL,
  colour            text NOT NULL CHECK (colour IN ('yellow', 'orange', 'red')),
  title             text NOT NULL,
  detail            text NOT NULL,
  case_ids          uuid[] NOT NULL,
  state             text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  opened_at         timestamptz NOT NULL DEFAULT now(),
  acknowledged_at   timestamptz,
  acknowledged_by   text,
  resolved_at       timestamptz,
  resolved_by       text,
  resolution_note   text,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE UNIQUE INDEX alerts_one_open ON alerts (org_id, rule, scope_key) WHERE state <> 'resolved';
CREATE INDEX alerts_recent ON alerts (org_id, project_id, opened_at DESC);
""" + protect("alert_settings", ORG_ONLY, "SELECT, INSERT, UPDATE") + protect("alerts", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS alerts, alert_settings;")
