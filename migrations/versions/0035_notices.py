"""Notices (通知公告), docs/resident-services.md §5: a notice of one project, aimed at the whole
project, some buildings or some flats (`notice_targets`), the flats it reached fixed when it was
published (`notice_recipients`), and who has read it (`notice_reads`). Every table walled by
project. The schedule sweep asks one question across companies — which have notices due to
publish or to expire — through a SECURITY DEFINER finder that returns company ids only.

Residents (§5.4): a published notice not yet expired, of the whole project or reaching one of
their current flats; the recipients among their flats; their own read receipts, read and written.

Revision ID: 0035_notices
Revises: 0034_fees
"""

from migrations.rls import RESIDENT_PROJECT, project_rule, protect, protect_for_resident, resident_unit_rule, run_script
from tenants.settings import APP_ROLE

revision = "0035_notices"
down_revision = "0034_fees"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE notices (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  body             text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  kind             text NOT NULL CHECK (kind IN ('general', 'emergency', 'outage', 'fee', 'event')),
  audience         text NOT NULL CHECK (audience IN ('project', 'buildings', 'units')),
  state            text NOT NULL DEFAULT 'draft'
                   CHECK (state IN ('draft', 'pending', 'scheduled', 'published', 'expired', 'withdrawn')),
  publish_at       timestamptz,
  expires_at       timestamptz,
  channel_ids      uuid[] NOT NULL DEFAULT '{}',
  attachments      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(attachments) <= 9),
  pinned           boolean NOT NULL DEFAULT false,
  author           text NOT NULL,
  approver         text,
  returned_note    text,
  published_at     timestamptz,
  withdrawn_at     timestamptz,
  withdrawn_by     text,
  withdraw_reason  text,
  recipient_count  integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  CHECK (expires_at IS NOT NULL OR kind NOT IN ('emergency', 'outage')),
  CHECK (expires_at IS NULL OR publish_at IS NULL OR expires_at > publish_at)
);
CREATE INDEX notices_list ON notices (org_id, project_id, state, published_at DESC);
-- The sweep's two questions: scheduled ones whose time has come, published ones past expiry.
CREATE INDEX notices_due ON notices (org_id, publish_at) WHERE state = 'scheduled';
CREATE INDEX notices_expiring ON notices (org_id, expires_at) WHERE state = 'published' AND expires_at IS NOT NULL;

CREATE TABLE notice_targets (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  notice_id    uuid NOT NULL,
  building_id  uuid,
  unit_id      uuid,
  PRIMARY KEY (org_id, id),
  CHECK ((building_id IS NULL) <> (unit_id IS NULL)),
  FOREIGN KEY (org_id, project_id, notice_id) REFERENCES notices (org_id, project_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, project_id, building_id) REFERENCES buildings (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id)
);
CREATE UNIQUE INDEX notice_targets_building ON notice_targets (org_id, notice_id, building_id) WHERE building_id IS NOT NULL;
CREATE UNIQUE INDEX notice_targets_unit ON notice_targets (org_id, notice_id, unit_id) WHERE unit_id IS NOT NULL;

-- No foreign key to units: its rows come only from `INSERT … SELECT … FROM units` in the fan-out,
-- and flats are never deleted. The key would cost one check per flat — 10,000 for a project-wide
-- notice — and on a units table not yet analyzed (a project just imported) each check scanned the
-- table: 15 s for 10,000 flats, past the statement timeout.
CREATE TABLE notice_recipients (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  notice_id   uuid NOT NULL,
  unit_id     uuid NOT NULL,
  PRIMARY KEY (org_id, notice_id, unit_id),
  FOREIGN KEY (org_id, project_id, notice_id) REFERENCES notices (org_id, project_id, id)
);
CREATE INDEX notice_recipients_unit ON notice_recipients (org_id, project_id, unit_id);

CREATE TABLE notice_reads (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  notice_id    uuid NOT NULL,
  unit_id      uuid NOT NULL,
  resident_id  uuid NOT NULL,
  read_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, notice_id, resident_id),
  FOREIGN KEY (org_id, project_id, notice_id) REFERENCES notices (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, resident_id) REFERENCES residents (org_id, project_id, id)
);
CREATE INDEX notice_reads_unit ON notice_reads (org_id, notice_id, unit_id);
"""

_FINDER = f"""
CREATE FUNCTION orgs_with_notices_due(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id FROM notices WHERE state = 'scheduled' AND publish_at <= p_now
   UNION
   SELECT org_id FROM notices WHERE state = 'published' AND expires_at <= p_now $$;
REVOKE ALL ON FUNCTION orgs_with_notices_due(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_notices_due(timestamptz) TO {APP_ROLE};
"""


# A project-wide notice is read by a resident who moved in after it was published too.
_RESIDENT_NOTICE = (
    f"{RESIDENT_PROJECT} AND state = 'published' AND (expires_at IS NULL OR expires_at > now()) AND "
    "(audience = 'project' OR EXISTS (SELECT 1 FROM notice_recipients r WHERE r.org_id = notices.org_id "
    "AND r.notice_id = notices.id AND r.unit_id IN (SELECT s.unit_id FROM resident_stays() s)))"
)
_OWN_READ = f"resident_id = (SELECT app_resident_id()) AND {resident_unit_rule()}"


def upgrade() -> None:
    run_script(_TABLES + _FINDER + "".join(protect(t, project_rule())
                                           for t in ("notices", "notice_targets", "notice_recipients", "notice_reads"))
               + protect_for_resident("notices", {"SELECT": _RESIDENT_NOTICE},
                                      "id, org_id, project_id, title, body, kind, audience, state, expires_at, attachments, "
                                      "pinned, published_at")
               + protect_for_resident("notice_recipients", {"SELECT": resident_unit_rule()})
               + protect_for_resident("notice_reads", {"SELECT": _OWN_READ, "INSERT": _OWN_READ}))


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS orgs_with_notices_due(timestamptz);"
               "DROP TABLE IF EXISTS notice_reads, notice_recipients, notice_targets, notices;")
