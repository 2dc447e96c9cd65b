"""Written replies: each delivery to the resident recorded on its own row (a reply may be read out
on the phone, then handed over on paper), instead of one pair of columns on the reply.

Revision ID: 0005
Revises: 0004
"""

from migrations.rls import project_rule, protect, run_script

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

WAYS = ("in_person", "post", "email", "wechat", "sms", "app", "phone")


def upgrade() -> None:
    ways = ", ".join(f"'{w}'" for w in WAYS)
    run_script(f"""
ALTER TABLE written_replies DROP COLUMN delivered_at, DROP COLUMN delivered_via;
CREATE TABLE written_reply_deliveries (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  reply_id      uuid NOT NULL,
  via           text NOT NULL CHECK (via IN ({ways})),
  recipient     text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 100),
  delivered_at  timestamptz NOT NULL,
  note          text CHECK (length(note) <= 500),
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, reply_id) REFERENCES written_replies (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX written_reply_deliveries_reply ON written_reply_deliveries (org_id, reply_id, delivered_at);
""" + protect("written_reply_deliveries", project_rule(), "SELECT, INSERT"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS written_reply_deliveries; "
               "ALTER TABLE written_replies ADD COLUMN delivered_at timestamptz, ADD COLUMN delivered_via text;")
