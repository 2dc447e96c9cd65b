"""档案准确率 (docs/archive.md §7): one row per project and Beijing day with each check's count and
the records checked, written by the nightly sweep and after an import, and each project's latest
day beside them (`archive_accuracy_live`); HQ reads the stored rows.
The sweep finds the companies with an archive through a SECURITY DEFINER function answering
company ids only, as the other sweeps' finders do.

Revision ID: 0029_archive_accuracy
Revises: 0028_erasure
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0029_archive_accuracy"
down_revision = "0028_erasure"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE TABLE archive_accuracy (
  org_id                 uuid NOT NULL,
  project_id             uuid NOT NULL,
  day                    date NOT NULL,
  records_checked        integer NOT NULL CHECK (records_checked >= 0),
  records_with_problems  integer NOT NULL,
  no_phone               integer NOT NULL,
  owner_no_id            integer NOT NULL,
  no_move_in             integer NOT NULL,
  unit_unaccounted       integer NOT NULL,
  unit_no_area           integer NOT NULL,
  not_verified           integer NOT NULL,
  vaccination_due        integer NOT NULL,
  vehicle_expired        integer NOT NULL,
  computed_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id, day),
  CHECK (records_with_problems BETWEEN 0 AND records_checked),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
-- Each project's latest day, for the overview: one row per project joins 2,000 projects in a
-- hash join, where finding each one's latest day in archive_accuracy cost ~16 ms.
CREATE TABLE archive_accuracy_live (
  org_id                 uuid NOT NULL,
  project_id             uuid NOT NULL,
  day                    date NOT NULL,
  records_checked        integer NOT NULL,
  records_with_problems  integer NOT NULL,
  PRIMARY KEY (org_id, project_id),
  FOREIGN KEY (org_id, project_id, day) REFERENCES archive_accuracy (org_id, project_id, day)
);

-- Companies with any flat or resident on file; ids only cross the wall.
CREATE FUNCTION orgs_with_archive() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT o.org_id FROM organizations o
   WHERE EXISTS (SELECT 1 FROM units u WHERE u.org_id = o.org_id)
      OR EXISTS (SELECT 1 FROM residents r WHERE r.org_id = o.org_id) $$;
REVOKE ALL ON FUNCTION orgs_with_archive() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_archive() TO {APP_ROLE};
""" + protect("archive_accuracy", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("archive_accuracy_live", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS orgs_with_archive(); DROP TABLE IF EXISTS archive_accuracy_live, archive_accuracy;")
