"""SQL helpers for row-level security, shared by every revision so each tenant table gets the
same wall: ENABLE + FORCE, a policy for the application role with WITH CHECK, and a permissive
policy for the owner role (migrations, provisioning and the few SECURITY DEFINER functions)."""

from tenants.settings import APP_ROLE, OWNER_ROLE

ORG_ONLY = "org_id = (SELECT app_org_id())"


def project_rule(column: str = "project_id") -> str:
    return (
        "org_id = (SELECT app_org_id()) AND "
        f"((SELECT app_all_projects()) OR {column} = ANY ((SELECT app_project_ids())::uuid[]))"
    )


def protect(table: str, rule: str, grants: str = "SELECT, INSERT, UPDATE, DELETE") -> str:
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON {table} TO {APP_ROLE} USING ({rule}) WITH CHECK ({rule});
CREATE POLICY owner_all ON {table} TO {OWNER_ROLE} USING (true) WITH CHECK (true);
GRANT {grants} ON {table} TO {APP_ROLE};
"""


def run_script(sql: str) -> None:
    """Run several statements at once. asyncpg prepares one statement per call, so a script goes
    through the driver's simple-query path, inside the migration's transaction."""
    from alembic import op
    from sqlalchemy.util import await_

    await_(op.get_bind().connection.driver_connection.execute(sql))
