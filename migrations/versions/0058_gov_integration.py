"""The 12345 bridge becomes a signed integration like a payment or telephony one (domain/integrations):
`gov_bridges` gains what the shared switch writes and reads — `updated_at` (every switch and secret
rotation sets it) and `last_used_at` (the bridge's last order or evaluation). Existing bridges keep
their settings (name, city, callback address, receiver, secret, on or off); `updated_at` starts at
their last recorded switch or rotation (the audit log), else at their creation. The tenant finder
`gov_bridge_tenant` (0020) already has the name the shared inbound path asks for, so the audit
entity, the inbound receipts' source label and the bridges' ids stay as they were.

Revision ID: 0058_gov_integration
Revises: 0057_fee_upkeep
"""

from migrations.rls import run_script

revision = "0058_gov_integration"
down_revision = "0057_fee_upkeep"
branch_labels = None
depends_on = None

_UP = """
ALTER TABLE gov_bridges ADD COLUMN updated_at timestamptz, ADD COLUMN last_used_at timestamptz;
UPDATE gov_bridges b SET updated_at = coalesce(
  (SELECT max(a.at) FROM audit_log a WHERE a.org_id = b.org_id AND a.entity_id = b.id AND a.entity = 'gov_bridge'
     AND a.action IN ('gov_bridge.switched', 'gov_bridge.secret_rotated')),
  b.created_at);
ALTER TABLE gov_bridges ALTER COLUMN updated_at SET DEFAULT now(), ALTER COLUMN updated_at SET NOT NULL;
"""

_DOWN = """
ALTER TABLE gov_bridges DROP COLUMN IF EXISTS last_used_at, DROP COLUMN IF EXISTS updated_at;
"""


def upgrade() -> None:
    run_script(_UP)


def downgrade() -> None:
    run_script(_DOWN)
