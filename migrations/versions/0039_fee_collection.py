"""The collection rate (收缴率), docs/resident-services.md §6.7: per project and billing period
(`month`, the bills' cohort) the counts the rate is computed from, recomputed whole by the
`kpi_fees` consumer and by `firstcall rollups rebuild` with one SQL text (domain/kpi/fee_rollups.py).
`waived_fen` (减免, beside what is due after it) is for the monthly summary. `computed_at` is the
recomputing transaction's start: the consumer skips a bucket recomputed after the event's commit.
`judged_at` is for the early warning's month-end judgement.
`kpi_weights.collection` weighs the rate in the evaluation (10 points, in the months a project
billed anything, so no existing score moves).

Revision ID: 0039_fee_collection
Revises: 0038_fee_payments
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0039_fee_collection"
down_revision = "0038_fee_payments"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE kpi_fee_month (
  org_id                  uuid NOT NULL,
  project_id              uuid NOT NULL,
  month                   date NOT NULL CHECK (extract(day FROM month) = 1),
  due_fen                 bigint NOT NULL DEFAULT 0,
  waived_fen              bigint NOT NULL DEFAULT 0,
  collected_fen           bigint NOT NULL DEFAULT 0,
  collected_by_close_fen  bigint NOT NULL DEFAULT 0,
  bills                   integer NOT NULL DEFAULT 0,
  bills_paid              integer NOT NULL DEFAULT 0,
  units_billed            integer NOT NULL DEFAULT 0,
  units_paid              integer NOT NULL DEFAULT 0,
  computed_at             timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  judged_at               timestamptz,
  PRIMARY KEY (org_id, project_id, month),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX kpi_fee_month_month ON kpi_fee_month (org_id, month);
ALTER TABLE kpi_weights ADD COLUMN collection double precision NOT NULL DEFAULT 10;
"""

# 收费率下滑 (§6.7): the rule's thresholds, the rule among the alerts' rules, and the finder the fee
# sweep asks which companies have closed months not yet judged (company ids only cross the wall).
OLD_RULES = "('skip_level', 'risk_words', 'cluster', 'repeat_complainant', 'sla_breach', 'satisfaction')"
RULES = "('skip_level', 'risk_words', 'cluster', 'repeat_complainant', 'sla_breach', 'satisfaction', 'collection')"
_ALERTS = f"""
ALTER TABLE alert_settings
  ADD COLUMN collection_target    double precision NOT NULL DEFAULT 0.90 CHECK (collection_target > 0 AND collection_target <= 1),
  ADD COLUMN collection_drop      double precision NOT NULL DEFAULT 0.05 CHECK (collection_drop > 0 AND collection_drop <= 1),
  ADD COLUMN collection_min_bills integer NOT NULL DEFAULT 20 CHECK (collection_min_bills BETWEEN 1 AND 1000000);
ALTER TABLE alerts DROP CONSTRAINT alerts_rule_check, ADD CONSTRAINT alerts_rule_check CHECK (rule IN {RULES});
CREATE INDEX kpi_fee_month_unjudged ON kpi_fee_month (month) WHERE judged_at IS NULL;
CREATE FUNCTION orgs_with_fee_months_to_judge(p_since date, p_before date) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM kpi_fee_month WHERE judged_at IS NULL AND month >= p_since AND month < p_before $$;
REVOKE ALL ON FUNCTION orgs_with_fee_months_to_judge(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_fee_months_to_judge(date, date) TO {APP_ROLE};
"""
_ALERTS_DOWN = f"""
DROP FUNCTION IF EXISTS orgs_with_fee_months_to_judge(date, date);
DELETE FROM alerts WHERE rule NOT IN {OLD_RULES};
ALTER TABLE alerts DROP CONSTRAINT alerts_rule_check, ADD CONSTRAINT alerts_rule_check CHECK (rule IN {OLD_RULES});
ALTER TABLE alert_settings DROP COLUMN IF EXISTS collection_target, DROP COLUMN IF EXISTS collection_drop,
  DROP COLUMN IF EXISTS collection_min_bills;
"""

# The evaluation sweep's question (0016) with the fee buckets among the changes that re-score a month.
_CHANGES = """
CREATE OR REPLACE FUNCTION evaluation_changes(p_since date) RETURNS TABLE (org_id uuid, month date)
LANGUAGE sql STABLE AS
$$ WITH months AS (SELECT m.org_id, m.month, max(m.updated_at) AS changed FROM kpi_project_month m
                   WHERE m.month >= p_since GROUP BY m.org_id, m.month),
        changes AS (SELECT months.org_id, months.month, months.changed FROM months
                    UNION ALL
                    SELECT i.org_id, date_trunc('month', i.inspected_on::timestamp)::date, max(i.submitted_at) FROM inspections i
                    WHERE i.state = 'submitted' AND i.inspected_on >= p_since GROUP BY 1, 2
                    UNION ALL
                    {fees}SELECT months.org_id, months.month, w.updated_at FROM months JOIN kpi_weights w ON w.org_id = months.org_id)
   SELECT c.org_id, c.month FROM changes c GROUP BY c.org_id, c.month
   HAVING max(c.changed) > coalesce((SELECT max(s.computed_at) FROM kpi_project_score s
                                     WHERE s.org_id = c.org_id AND s.month = c.month) - interval '1 minute', '-infinity') $$;
"""
_FEES = ("SELECT f.org_id, f.month, max(f.updated_at) FROM kpi_fee_month f WHERE f.month >= p_since GROUP BY 1, 2\n"
         "                    UNION ALL\n                    ")


def upgrade() -> None:
    run_script(UPGRADE + protect("kpi_fee_month", project_rule(), "SELECT, INSERT, UPDATE, DELETE") + _CHANGES.format(fees=_FEES)
               + _ALERTS)


def downgrade() -> None:
    run_script(_ALERTS_DOWN + _CHANGES.format(fees="")
               + "ALTER TABLE kpi_weights DROP COLUMN IF EXISTS collection; DROP TABLE IF EXISTS kpi_fee_month;")
