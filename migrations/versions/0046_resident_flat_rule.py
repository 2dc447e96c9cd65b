"""The resident's flat rule, corrected: `resident_unit_rule()` compared the stay's `unit_id` with
itself (a bare `unit_id` inside the subquery over `resident_stays()` names the stay's column, not
the policy's row), so it held for every row of the resident's project — a resident could read
another flat's notice recipients and mark a neighbour's flat as having read a notice. The rule
now renames the stays' columns (migrations/rls.py); the two tables that used it get their
resident policies again.

Revision ID: 0046_resident_flat_rule
Revises: 0045_improvements
"""

from migrations.rls import RESIDENT_PROJECT, resident_unit_rule, run_script
from tenants.settings import RESIDENT_ROLE

revision = "0046_resident_flat_rule"
down_revision = "0045_improvements"
branch_labels = None
depends_on = None

_OWN_READ = f"resident_id = (SELECT app_resident_id()) AND {resident_unit_rule()}"


def upgrade() -> None:
    run_script(f"""
DROP POLICY resident_wall_select ON notice_recipients;
CREATE POLICY resident_wall_select ON notice_recipients FOR SELECT TO {RESIDENT_ROLE} USING ({resident_unit_rule()});
DROP POLICY resident_wall_select ON notice_reads;
CREATE POLICY resident_wall_select ON notice_reads FOR SELECT TO {RESIDENT_ROLE} USING ({_OWN_READ});
DROP POLICY resident_wall_insert ON notice_reads;
CREATE POLICY resident_wall_insert ON notice_reads FOR INSERT TO {RESIDENT_ROLE} WITH CHECK ({_OWN_READ});
""")


def downgrade() -> None:
    # The corrected rule stays: going back must not reopen the wall.
    assert RESIDENT_PROJECT
