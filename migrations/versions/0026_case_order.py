"""Cases by number: `cases(orderBy: NUMBER)` walks this index across a company's projects (the
unique (org_id, project_id, number) key serves one project only). TIME_LEFT needs nothing new:
each case's worst open target is a probe of case_targets' primary key.

Revision ID: 0026_case_order
Revises: 0025
"""

from migrations.rls import run_script

revision = "0026_case_order"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("CREATE INDEX cases_number ON cases (org_id, number, id);")


def downgrade() -> None:
    run_script("DROP INDEX IF EXISTS cases_number;")
