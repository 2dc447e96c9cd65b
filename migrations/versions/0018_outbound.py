"""Every message we send out goes through `deliveries`: besides a company's channels, messages
addressed directly to an outside body or to a 12345 bridge (kind, target and secret on the row,
`purpose` and `ref_id` naming what they are about, `dedupe_key` making a sweep's reminder or a
retried write a no-op). Each attempt is logged in `delivery_attempts`, and what arrives signed
from outside is recorded once in `inbound_receipts` — its delivery id is the idempotency key.

Revision ID: 0018
Revises: 0017
"""

from migrations.rls import ORG_ONLY, protect, run_script

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("""
ALTER TABLE deliveries ALTER COLUMN channel_id DROP NOT NULL;
ALTER TABLE deliveries
  ADD COLUMN kind       text CHECK (kind IN ('webhook', 'email', 'letter')),
  ADD COLUMN target     text CHECK (length(target) BETWEEN 1 AND 2000),
  ADD COLUMN secret_enc bytea,
  ADD COLUMN purpose    text NOT NULL DEFAULT 'channel' CHECK (purpose IN ('channel', 'referral', 'gov_callback')),
  ADD COLUMN ref_id     uuid,
  ADD COLUMN dedupe_key text CHECK (length(dedupe_key) <= 200),
  ADD COLUMN replays    integer NOT NULL DEFAULT 0,
  ADD CONSTRAINT deliveries_addressed CHECK (
    (purpose = 'channel' AND channel_id IS NOT NULL) OR
    (purpose <> 'channel' AND channel_id IS NULL AND kind IS NOT NULL AND ref_id IS NOT NULL));
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'sent', 'printed'));
CREATE UNIQUE INDEX deliveries_dedupe ON deliveries (org_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX deliveries_ref ON deliveries (org_id, ref_id, created_at) WHERE ref_id IS NOT NULL;
CREATE INDEX deliveries_recent ON deliveries (org_id, created_at DESC, id);  -- the delivery log, newest first

CREATE TABLE delivery_attempts (
  org_id       uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  delivery_id  uuid NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  ok           boolean NOT NULL,
  status_code  integer,
  error        text CHECK (length(error) <= 1000),
  duration_ms  integer NOT NULL,
  replay       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, delivery_id) REFERENCES deliveries (org_id, id)
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (org_id, delivery_id, at);

CREATE TABLE inbound_receipts (
  org_id       uuid NOT NULL REFERENCES organizations (org_id),
  source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
  delivery_id  text NOT NULL CHECK (length(delivery_id) BETWEEN 8 AND 100),
  received_at  timestamptz NOT NULL DEFAULT now(),
  answer       jsonb NOT NULL,
  PRIMARY KEY (org_id, source, delivery_id)
);
""" + protect("delivery_attempts", ORG_ONLY, "SELECT, INSERT") + protect("inbound_receipts", ORG_ONLY, "SELECT, INSERT"))


def downgrade() -> None:
    run_script("""
DROP TABLE IF EXISTS inbound_receipts, delivery_attempts;
DELETE FROM deliveries WHERE purpose <> 'channel';
DROP INDEX IF EXISTS deliveries_dedupe, deliveries_ref, deliveries_recent;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_addressed, DROP COLUMN kind, DROP COLUMN target, DROP COLUMN secret_enc,
  DROP COLUMN purpose, DROP COLUMN ref_id, DROP COLUMN dedupe_key, DROP COLUMN replays;
ALTER TABLE deliveries ALTER COLUMN channel_id SET NOT NULL;
""")
