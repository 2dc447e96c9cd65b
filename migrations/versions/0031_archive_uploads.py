"""Archive uploads and imports (docs/archive.md §2, §6.4): a workbook posted to /uploads/archive is
kept encrypted in `archive_uploads` for 24 hours; each `importArchive` is a row of
`archive_imports` that a worker runs, with its progress, counts and the first 1,000 problems.

One queued or running import per project, held by a partial unique index, so two requests at
once cannot both pass a check. An import keeps its row when its upload is purged (`upload_id`
becomes NULL; the file's name and checksum stay on the import). The purge sweep finds the
companies with expired uploads through `orgs_with_expired_uploads` (company ids only).

Revision ID: 0031_archive_uploads
Revises: 0030_staff_phone_key
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0031_archive_uploads"
down_revision = "0030_staff_phone_key"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE archive_uploads (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  created_by  text NOT NULL,
  file_name   text NOT NULL DEFAULT '' CHECK (length(file_name) <= 255),
  size        integer NOT NULL CHECK (size >= 0),
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  file_enc    bytea NOT NULL,  -- the workbook, encrypted with the platform cipher: it is full of phone and ID numbers
  expires_at  timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX archive_uploads_expiry ON archive_uploads (org_id, expires_at);

CREATE TABLE archive_imports (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  upload_id      uuid,
  file_name      text NOT NULL DEFAULT '' CHECK (length(file_name) <= 255),
  sha256         text NOT NULL DEFAULT '',
  dry_run        boolean NOT NULL,
  state          text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'rejected', 'failed')),
  rows_total     integer,  -- from the sheets' dimensions; NULL while unknown
  rows_done      integer NOT NULL DEFAULT 0,
  counts         jsonb NOT NULL DEFAULT '[]',  -- per sheet, in the workbook's order: sheet, created, updated, unchanged
  problem_count  integer NOT NULL DEFAULT 0,
  problems       jsonb NOT NULL DEFAULT '[]',  -- the first 1,000, values masked
  error          text,  -- why a failed import failed (no personal data)
  attempts       integer NOT NULL DEFAULT 0,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, project_id, upload_id) REFERENCES archive_uploads (org_id, project_id, id) ON DELETE SET NULL (upload_id)
);
CREATE INDEX archive_imports_project ON archive_imports (org_id, project_id, created_at DESC);
CREATE UNIQUE INDEX archive_imports_active ON archive_imports (org_id, project_id) WHERE state IN ('queued', 'running');

-- The purge sweep's finder: which companies hold an upload past its expiry. Ids only.
CREATE FUNCTION orgs_with_expired_uploads(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM archive_uploads WHERE expires_at <= p_now $$;
REVOKE ALL ON FUNCTION orgs_with_expired_uploads(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_expired_uploads(timestamptz) TO {app};
""".replace("{app}", APP_ROLE)


def upgrade() -> None:
    run_script(_TABLES + protect("archive_uploads", project_rule(), "SELECT, INSERT, DELETE")
               + protect("archive_imports", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("""
DROP FUNCTION IF EXISTS orgs_with_expired_uploads(timestamptz);
DROP TABLE IF EXISTS archive_imports, archive_uploads;
""")
