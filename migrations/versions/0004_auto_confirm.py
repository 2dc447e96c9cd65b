"""Auto-confirmation: an index over resolved cases by time, and the one cross-company question
the sweep may ask — which companies have cases whose silence has run out.

Revision ID: 0004
Revises: 0003
"""

from migrations.rls import run_script
from tenants.settings import APP_ROLE

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE INDEX cases_resolved_since ON cases (org_id, resolved_at) WHERE state = 'resolved';
-- Only company ids: the sweep then works inside each company's own wall.
CREATE FUNCTION orgs_with_cases_to_confirm(p_before timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM cases WHERE state = 'resolved' AND resolved_at <= p_before $$;
REVOKE ALL ON FUNCTION orgs_with_cases_to_confirm(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_cases_to_confirm(timestamptz) TO {APP_ROLE};
""")


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS orgs_with_cases_to_confirm(timestamptz); DROP INDEX IF EXISTS cases_resolved_since;")
