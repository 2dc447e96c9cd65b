"""KPI rollups (docs/kpis.md): per project and Beijing day, and per project and month, the counts
the figures are computed from — kept current by a worker from case events and recomputable by
`firstcall rollups rebuild`.

Revision ID: 0010
Revises: 0009
"""

from migrations.rls import project_rule, protect, run_script

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COUNTS = (
    "received", "cancelled", "declined", "in_scope", "open", "commit_due", "commit_on_time", "resolved", "resolved_on_time",
    "finished", "first_time", "visited", "satisfied", "basically_satisfied", "dissatisfied", "complaints", "broken_promises",
    "escalations_l1", "escalations_l2", "escalations_l3", "overdue",
)


def _table(name: str, period: str) -> str:
    counts = ",\n".join(f"  {c} integer NOT NULL DEFAULT 0" for c in COUNTS)
    return f"""
CREATE TABLE {name} (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  {period}          date NOT NULL,
{counts},
  handling_seconds  bigint NOT NULL DEFAULT 0,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id, {period}),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX {name}_period ON {name} (org_id, {period});
"""


def upgrade() -> None:
    run_script(
        _table("kpi_project_day", "day") + _table("kpi_project_month", "month")
        + "CREATE INDEX escalations_fired ON escalations (org_id, fired_at);"
        # Open and overdue now, whatever the cohort: the sum of a project's month buckets, kept
        # with them, so the overview reads one row per project instead of a year of months.
        + """CREATE TABLE kpi_project_live (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  open        integer NOT NULL DEFAULT 0,
  overdue     integer NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);"""
        + protect("kpi_project_live", project_rule(), "SELECT, INSERT, UPDATE, DELETE")
        + protect("kpi_project_day", project_rule(), "SELECT, INSERT, UPDATE, DELETE")
        + protect("kpi_project_month", project_rule(), "SELECT, INSERT, UPDATE, DELETE")
    )


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS kpi_project_day, kpi_project_month, kpi_project_live; DROP INDEX IF EXISTS escalations_fired;")
