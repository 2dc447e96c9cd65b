"""Staff matched by phone (docs/archive.md §2.2, §6): the 员工 sheet of an archive import finds a
staff member of the project by the keyed hash of their number, so one number names at most one
staff member per project. The key refuses to build over duplicates: the migration counts them
first and stops with a message, as 0027 does for residents.

Also the CLI import's one way across the wall: which companies have a project with a given code
(`firstcall import FILE --project CODE`), as `org_id_for_slug` does for a login.

Revision ID: 0030_staff_phone_key
Revises: 0029_archive_accuracy
"""

from migrations.rls import run_script
from tenants.settings import APP_ROLE

revision = "0030_staff_phone_key"
down_revision = "0029_archive_accuracy"
branch_labels = None
depends_on = None

_DUPLICATES = """
DO $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM (
    SELECT 1 FROM staff WHERE phone_hash IS NOT NULL
    GROUP BY org_id, project_id, phone_hash HAVING count(*) > 1) d;
  IF n > 0 THEN
    RAISE EXCEPTION 'staff phone key: % phone numbers belong to more than one staff member of a project — '
                    'correct or clear the duplicates first', n;
  END IF;
END $$;
"""

_KEY = f"""
CREATE UNIQUE INDEX staff_phone ON staff (org_id, project_id, phone_hash) WHERE phone_hash IS NOT NULL;

CREATE FUNCTION org_ids_for_project_code(p_code text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id FROM projects WHERE code = p_code $$;
REVOKE ALL ON FUNCTION org_ids_for_project_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION org_ids_for_project_code(text) TO {APP_ROLE};
"""


def upgrade() -> None:
    run_script(_DUPLICATES + _KEY)


def downgrade() -> None:
    run_script("""
DROP FUNCTION IF EXISTS org_ids_for_project_code(text);
DROP INDEX IF EXISTS staff_phone;
""")
