"""Dead letters: an event a consumer could not handle after all its retries is recorded here, for
a company's administrators to see and send again (the outbox row is published anew; consumers
that already handled it skip it by their mark).

Revision ID: 0009
Revises: 0008
"""

from migrations.rls import ORG_ONLY, protect, run_script
from tenants.settings import APP_ROLE

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE TABLE dead_letters (
  org_id      uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  message_id  text NOT NULL,
  event_id    uuid NOT NULL,
  topic       text NOT NULL,
  attempts    integer NOT NULL,
  error       text NOT NULL,
  failed_at   timestamptz NOT NULL DEFAULT now(),
  retried_at  timestamptz,
  retried_by  text,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, message_id)
);
CREATE INDEX dead_letters_open ON dead_letters (org_id, failed_at DESC) WHERE retried_at IS NULL;

-- Publish one of the caller's own events again.
CREATE FUNCTION outbox_republish(p_event uuid) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH again AS (
     UPDATE outbox SET published_at = NULL WHERE org_id = app_org_id() AND id = p_event RETURNING 1
   ) SELECT EXISTS (SELECT 1 FROM again) $$;
REVOKE ALL ON FUNCTION outbox_republish(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_republish(uuid) TO {APP_ROLE};
""" + protect("dead_letters", ORG_ONLY, "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS outbox_republish(uuid); DROP TABLE IF EXISTS dead_letters;")
