"""A burst of a project's case events recomputes its month once, not once per event.

`kpi_project_month.computed_at`: the start of the `kpi` consumer's transaction that last
recomputed the whole (project, month) — its days, the month, its categories, its people and the
project's live row. A consumer skips an event whose change committed before it (docs/kpis.md).
NULL — a row written by the rebuild, or recomputed any other way — promises nothing, and the next
event recomputes.

Revision ID: 0060_kpi_month_computed
Revises: 0059_case_number_at_commit
"""

from migrations.rls import run_script

revision = "0060_kpi_month_computed"
down_revision = "0059_case_number_at_commit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("ALTER TABLE kpi_project_month ADD COLUMN computed_at timestamptz;")


def downgrade() -> None:
    run_script("ALTER TABLE kpi_project_month DROP COLUMN IF EXISTS computed_at;")
