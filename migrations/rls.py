"""SQL helpers for row-level security, shared by every revision so each tenant table gets the
same wall: ENABLE + FORCE, a policy for the application role with WITH CHECK, and a permissive
policy for the owner role (migrations, provisioning and the few SECURITY DEFINER functions).

Residents (owner-app tokens) run as a third role with policies of their own, written beside the
staff ones (`protect_for_resident`); a table without them is closed to residents by default
(docs/resident-services.md §2.3)."""

from tenants.settings import APP_ROLE, OWNER_ROLE, RESIDENT_ROLE

ORG_ONLY = "org_id = (SELECT app_org_id())"


def project_rule(column: str = "project_id") -> str:
    return (
        "org_id = (SELECT app_org_id()) AND "
        f"((SELECT app_all_projects()) OR {column} = ANY ((SELECT app_project_ids())::uuid[]))"
    )


def company_or_project_rule(column: str = "project_id") -> str:
    """A company-wide row (NULL project) for every caller of the company; a project's row for its project."""
    return (
        "org_id = (SELECT app_org_id()) AND "
        f"({column} IS NULL OR (SELECT app_all_projects()) OR {column} = ANY ((SELECT app_project_ids())::uuid[]))"
    )


def protect(table: str, rule: str, grants: str = "SELECT, INSERT, UPDATE, DELETE") -> str:
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON {table} TO {APP_ROLE} USING ({rule}) WITH CHECK ({rule});
CREATE POLICY owner_all ON {table} TO {OWNER_ROLE} USING (true) WITH CHECK (true);
GRANT {grants} ON {table} TO {APP_ROLE};
"""



def tenant_finder(entity: str, table: str) -> str:
    """`<entity>_tenant(id)`: which company and project a row belongs to, across the wall and ids
    only — what a signed inbound path asks before it knows the caller's tenant (as 0019, 0020, 0038
    and 0047 wrote by hand; domain/integrations reads it by this name)."""
    return f"""
CREATE FUNCTION {entity}_tenant(p_id uuid) RETURNS TABLE (org_id uuid, project_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id, project_id FROM {table} WHERE id = p_id $$;
REVOKE ALL ON FUNCTION {entity}_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {entity}_tenant(uuid) TO {APP_ROLE};
"""

# A resident token names exactly one project; there is no "all projects" for a resident.
RESIDENT_PROJECT = "org_id = (SELECT app_org_id()) AND project_id = ANY ((SELECT app_project_ids())::uuid[])"


def resident_unit_rule(unit: str = "unit_id", at: str | None = None) -> str:
    """A row of one of the resident's current flats — dated on or after their move-in when `at` is given.
    `unit` is compared outside the subquery: inside it, a bare `unit_id` would be resident_stays()'s
    own column and match every row."""
    since = f" WHERE {at} >= s.since" if at else ""
    return f"{RESIDENT_PROJECT} AND {unit} IN (SELECT s.unit_id FROM resident_stays() s{since})"


def protect_for_resident(table: str, commands: dict[str, str], columns: str | None = None) -> str:
    """GRANT the commands (to the columns, when given) and one `resident_wall_<cmd>` policy each.
    SELECT reads its rule as USING, INSERT as WITH CHECK, UPDATE as both."""
    target = f"({columns})" if columns else ""
    sql = []
    for command, rule in commands.items():
        clause = {"SELECT": f"USING ({rule})", "INSERT": f"WITH CHECK ({rule})",
                  "UPDATE": f"USING ({rule}) WITH CHECK ({rule})", "DELETE": f"USING ({rule})"}[command]
        sql.append(f"CREATE POLICY resident_wall_{command.lower()} ON {table} FOR {command} TO {RESIDENT_ROLE} {clause};")
        sql.append(f"GRANT {command} {target} ON {table} TO {RESIDENT_ROLE};")
    return "\n".join(sql) + "\n"


def run_script(sql: str) -> None:
    """Run several statements at once. asyncpg prepares one statement per call, so a script goes
    through the driver's simple-query path, inside the migration's transaction."""
    from alembic import op
    from sqlalchemy.util import await_

    await_(op.get_bind().connection.driver_connection.execute(sql))
