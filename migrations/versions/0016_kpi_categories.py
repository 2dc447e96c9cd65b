"""KPI rollups per project, month, kind and category (docs/kpis.md) — the HQ drill-down by
category and kind without reading the cases — and the stored monthly evaluation: each project's
score, standard score, rank and trend as last computed, so the overview can show them without
scoring 2,000 projects on every request.

Revision ID: 0016
Revises: 0015
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COUNTS = (
    "received", "cancelled", "declined", "in_scope", "open", "commit_due", "commit_on_time", "resolved", "resolved_on_time",
    "finished", "first_time", "visited", "satisfied", "basically_satisfied", "dissatisfied", "complaints", "broken_promises",
    "escalations_l1", "escalations_l2", "escalations_l3", "overdue",
)


def upgrade() -> None:
    counts = ",\n".join(f"  {c} integer NOT NULL DEFAULT 0" for c in COUNTS)
    run_script(f"""
CREATE TABLE kpi_category_month (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  month             date NOT NULL,
  kind              text NOT NULL,
  category_id       uuid NOT NULL,
{counts},
  handling_seconds  bigint NOT NULL DEFAULT 0,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id, month, kind, category_id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX kpi_category_month_period ON kpi_category_month (org_id, month);

CREATE TABLE kpi_project_score (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  month           date NOT NULL,
  score           double precision,
  standard_score  double precision,
  rank            integer,
  trend           double precision,
  computed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id, month),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX kpi_project_score_period ON kpi_project_score (org_id, month, computed_at);

-- A company's months whose evaluation may have changed since a minute before it was last
-- computed (or that were never evaluated): a rollup of the month, an inspection of the month
-- submitted, or the company's weights. The minute covers a change written by a transaction that
-- began before the evaluation and committed after it (its timestamps are its start, not its
-- commit). An invoker's function: called by the application it sees one company's rows.
CREATE FUNCTION evaluation_changes(p_since date) RETURNS TABLE (org_id uuid, month date)
LANGUAGE sql STABLE AS
$$ WITH months AS (SELECT m.org_id, m.month, max(m.updated_at) AS changed FROM kpi_project_month m
                   WHERE m.month >= p_since GROUP BY m.org_id, m.month),
        changes AS (SELECT months.org_id, months.month, months.changed FROM months
                    UNION ALL
                    SELECT i.org_id, date_trunc('month', i.inspected_on::timestamp)::date, max(i.submitted_at) FROM inspections i
                    WHERE i.state = 'submitted' AND i.inspected_on >= p_since GROUP BY 1, 2
                    UNION ALL
                    SELECT months.org_id, months.month, w.updated_at FROM months JOIN kpi_weights w ON w.org_id = months.org_id)
   SELECT c.org_id, c.month FROM changes c GROUP BY c.org_id, c.month
   HAVING max(c.changed) > coalesce((SELECT max(s.computed_at) FROM kpi_project_score s
                                     WHERE s.org_id = c.org_id AND s.month = c.month) - interval '1 minute', '-infinity') $$;
-- Only the ids of companies with such months cross the wall; the sweep asks for the months
-- inside each company's own.
CREATE FUNCTION orgs_with_evaluation_changes(p_since date) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM evaluation_changes(p_since) $$;
REVOKE ALL ON FUNCTION orgs_with_evaluation_changes(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_evaluation_changes(date) TO {APP_ROLE};
""" + protect("kpi_category_month", project_rule(), "SELECT, INSERT, UPDATE, DELETE")
        + protect("kpi_project_score", project_rule(), "SELECT, INSERT, UPDATE, DELETE"))
    _backfill_categories()


def _backfill_categories() -> None:
    """The category buckets of the cases already there, company by company (the rebuild's SQL
    keeps to the company of the transaction's setting). The month evaluations follow from the
    scanner's first sweep, which evaluates every month never evaluated."""
    from alembic import op
    from sqlalchemy import text

    from domain.kpi.rollups import REBUILD_CATEGORIES  # its SQL reads only tables older than this revision

    conn = op.get_bind()
    for (org_id,) in conn.execute(text("SELECT org_id FROM organizations")).all():
        conn.execute(text("SELECT set_config('app.org_id', :o, true), set_config('app.project_ids', '*', true)"), {"o": str(org_id)})
        conn.execute(REBUILD_CATEGORIES)


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS orgs_with_evaluation_changes(date), evaluation_changes(date); "
               "DROP TABLE IF EXISTS kpi_category_month, kpi_project_score;")
