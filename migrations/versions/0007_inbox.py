"""The in-app inbox: one row per person told of something (an escalation, a calendar gap),
written by a worker from the outbox event, once per event and person.

Revision ID: 0007
Revises: 0006
"""

from migrations.rls import ORG_ONLY, protect, run_script

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("""
CREATE TABLE notifications (
  org_id      uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL,
  project_id  uuid,
  case_id     uuid,
  event_id    uuid NOT NULL,
  topic       text NOT NULL,
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body        text NOT NULL CHECK (length(body) <= 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, event_id, user_id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_inbox ON notifications (org_id, user_id, created_at DESC) ;
CREATE INDEX notifications_unread ON notifications (org_id, user_id) WHERE read_at IS NULL;
""" + protect("notifications", ORG_ONLY, "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS notifications;")
