"""Praise and staff return visits in the people's figures (docs/centre-day.md §7).

`cases.praised_user_ids`: the staff a 表扬 (kind `praise`) names, set at intake. `kpi_person_month`
gains `praise` (praise cases naming the person) and the return visits the person received after a
complaint about them (投诉回访员工, `staff_visits`): in all and by outcome. Both are counted in the
month the case was received, as every count of the table, and carry the person's department (their
staff record's in the case's project) so a department's figures include them.

Revision ID: 0052_people_praise
Revises: 0051_staff_visits
"""

from migrations.rls import run_script

revision = "0052_people_praise"
down_revision = "0051_staff_visits"
branch_labels = None
depends_on = None

_COUNTS = ("praise", "staff_visits", "staff_visits_acknowledged", "staff_visits_disputed", "staff_visits_coached")


def upgrade() -> None:
    run_script(
        # A constant default: no table rewrite.
        "ALTER TABLE cases ADD COLUMN praised_user_ids uuid[] NOT NULL DEFAULT '{}';\n"
        "ALTER TABLE kpi_person_month " + ", ".join(f"ADD COLUMN {c} integer NOT NULL DEFAULT 0" for c in _COUNTS) + ";\n"
    )


def downgrade() -> None:
    run_script(
        "ALTER TABLE kpi_person_month " + ", ".join(f"DROP COLUMN IF EXISTS {c}" for c in _COUNTS) + ";\n"
        "ALTER TABLE cases DROP COLUMN IF EXISTS praised_user_ids;\n"
    )
