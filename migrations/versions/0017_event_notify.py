"""Live events for GraphQL subscriptions: NOTIFY on every committed outbox row of a subscribed topic.

Each `case.*` / `alert.*` row announces who it belongs to and what it names — never its payload:
a notification is limited to 8,000 bytes and is seen by every listener of the channel, so the
API re-reads the row under the subscriber's own scope. NOTIFY is delivered at commit only, so a
rolled-back change is never announced. The relay's statement-level trigger stays as it is.

Revision ID: 0017
Revises: 0016
"""

from migrations.rls import run_script

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE FUNCTION outbox_live_notify() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
  PERFORM pg_notify('firstcall_live', json_build_object(
    'org_id', NEW.org_id, 'project_id', NEW.project_id, 'topic', left(NEW.topic, 100), 'id', NEW.id,
    'case_id', left(NEW.payload->>'case_id', 40), 'alert_id', left(NEW.payload->>'alert_id', 40))::text);
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_live_notify AFTER INSERT ON outbox
FOR EACH ROW WHEN (NEW.topic LIKE 'case.%' OR NEW.topic LIKE 'alert.%')
EXECUTE FUNCTION outbox_live_notify();
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script("DROP TRIGGER IF EXISTS outbox_live_notify ON outbox; DROP FUNCTION IF EXISTS outbox_live_notify();")
