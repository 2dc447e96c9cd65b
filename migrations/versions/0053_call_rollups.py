"""Call figures by month (docs/centre-day.md §8, "As built"): `kpi_call_month` per project and
Beijing month — inbound calls offered, answered, answered within three rings, abandoned — kept
whole by one SQL text (domain/kpi/call_rollups.py) in the transaction that records a call and by
`firstcall rollups rebuild`. `orgOverview`, the scorecards and the monthly summary read it.
`kpi_weights.calls` weighs the answer rate (接通率) in the evaluation: 0 by default, so no
existing score moves; a call month that changes is a change of that month's evaluation.

Revision ID: 0053_call_rollups
Revises: 0052_people_praise
"""

from migrations.rls import project_rule, protect, run_script

revision = "0053_call_rollups"
down_revision = "0052_people_praise"
branch_labels = None
depends_on = None

_TABLE = """
CREATE TABLE kpi_call_month (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  month             date NOT NULL CHECK (extract(day FROM month) = 1),
  offered           integer NOT NULL DEFAULT 0,
  answered          integer NOT NULL DEFAULT 0,
  answered_3_rings  integer NOT NULL DEFAULT 0,
  abandoned         integer NOT NULL DEFAULT 0,
  computed_at       timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id, month),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX kpi_call_month_month ON kpi_call_month (org_id, month);
ALTER TABLE kpi_weights ADD COLUMN calls double precision NOT NULL DEFAULT 0;
"""

# The evaluation sweep's question as 0042 left it, with the call months among the changes.
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
                    SELECT f.org_id, f.month, max(f.updated_at) FROM kpi_fee_month f WHERE f.month >= p_since GROUP BY 1, 2
                    UNION ALL
                    SELECT c.org_id, date_trunc('month', c.closed_at AT TIME ZONE 'Asia/Shanghai')::date, max(c.closed_at)
                    FROM survey_campaigns c WHERE c.state = 'closed'
                      AND c.closed_at >= p_since::timestamp AT TIME ZONE 'Asia/Shanghai' GROUP BY 1, 2
                    UNION ALL
                    %s
                    SELECT months.org_id, months.month, w.updated_at FROM months JOIN kpi_weights w ON w.org_id = months.org_id)
   SELECT c.org_id, c.month FROM changes c GROUP BY c.org_id, c.month
   HAVING max(c.changed) > coalesce((SELECT max(s.computed_at) FROM kpi_project_score s
                                     WHERE s.org_id = c.org_id AND s.month = c.month) - interval '1 minute', '-infinity') $$;
"""
_CALL_CHANGES = """SELECT k.org_id, k.month, max(k.updated_at) FROM kpi_call_month k WHERE k.month >= p_since GROUP BY 1, 2
                    UNION ALL"""


def upgrade() -> None:
    run_script(_TABLE + protect("kpi_call_month", project_rule(), "SELECT, INSERT, UPDATE, DELETE") + _CHANGES % _CALL_CHANGES)
    # The months of the calls already on file, company by company (the owner's connection sees them all).
    run_script("""
INSERT INTO kpi_call_month (org_id, project_id, month, offered, answered, answered_3_rings, abandoned)
SELECT c.org_id, c.project_id, date_trunc('month', c.queued_at AT TIME ZONE 'Asia/Shanghai')::date, count(*), count(c.answered_at),
       count(*) FILTER (WHERE c.answered_at - c.queued_at <= make_interval(secs => 3 * i.ring_seconds)),
       count(*) FILTER (WHERE c.abandoned)
FROM call_records c JOIN telephony_integrations i ON i.org_id = c.org_id AND i.id = c.integration_id
WHERE c.direction = 'in' GROUP BY 1, 2, 3;
""")


def downgrade() -> None:
    run_script(_CHANGES % "" + "ALTER TABLE kpi_weights DROP COLUMN IF EXISTS calls; DROP TABLE IF EXISTS kpi_call_month;")
