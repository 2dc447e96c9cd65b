"""Delivery channels and their deliveries: where notifications go beyond the in-app inbox — a
signed webhook, e-mail, or the WeCom and DingTalk group robots service teams read — and one row
per channel and event (the unique key is the deduplication), with its status and attempts.

Revision ID: 0008
Revises: 0007
"""

from migrations.rls import ORG_ONLY, protect, run_script

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("""
CREATE TABLE delivery_channels (
  org_id      uuid NOT NULL REFERENCES organizations (org_id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id  uuid,  -- NULL: every project
  kind        text NOT NULL CHECK (kind IN ('webhook', 'email', 'wecom', 'dingtalk')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  target      text NOT NULL CHECK (length(target) BETWEEN 3 AND 2000),
  secret_enc  bytea,
  topics      text[] NOT NULL CHECK (cardinality(topics) BETWEEN 1 AND 50),
  min_level   text CHECK (min_level IN ('remind', 'l1', 'l2', 'l3')),
  per_minute  integer NOT NULL DEFAULT 20 CHECK (per_minute BETWEEN 1 AND 600),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

CREATE TABLE deliveries (
  org_id      uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  channel_id  uuid NOT NULL,
  project_id  uuid,
  event_id    uuid NOT NULL,
  topic       text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  data        jsonb NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, channel_id, event_id),
  FOREIGN KEY (org_id, channel_id) REFERENCES delivery_channels (org_id, id)
);
CREATE INDEX deliveries_channel_sent ON deliveries (org_id, channel_id, sent_at);
""" + protect("delivery_channels", ORG_ONLY, "SELECT, INSERT, UPDATE") + protect("deliveries", ORG_ONLY, "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS deliveries, delivery_channels;")
