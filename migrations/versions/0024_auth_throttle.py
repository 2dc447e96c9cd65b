"""Failed sign-ins and API-key attempts, counted where every API process sees them.

One row per thing counted — a source address, an (account, address) or (key prefix, address)
pair, an account, a key prefix — or per address an account signed in from lately (exempt from
the account's own limit, so a stranger cannot lock its owner out). The key is an HMAC of what is
counted, never the name or address itself; the row carries its rule so one upsert serves all.
Rows hold no tenant data and are read before anyone is known, so the table has no `org_id` and
no tenant wall. It replaces the per-user lock on `users`, which a stranger could trip for anyone.

Revision ID: 0024
Revises: 0023
"""

from migrations.rls import run_script
from tenants.settings import APP_ROLE

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE TABLE auth_throttle (
  key            bytea PRIMARY KEY,
  failures       integer NOT NULL CHECK (failures >= 0),
  window_ends    timestamptz NOT NULL,
  max_failures   integer NOT NULL,
  block_seconds  integer NOT NULL,
  blocked_until  timestamptz,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX auth_throttle_expiry ON auth_throttle (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_throttle TO {APP_ROLE};
ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;
""")


def downgrade() -> None:
    run_script("""
DROP TABLE IF EXISTS auth_throttle;
ALTER TABLE users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz;
""")
