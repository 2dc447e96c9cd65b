"""Events of one case in commit order; the time a request was taken beside the time it was entered.

- `outbox_claim` no longer hands a relay a case's event while an earlier unpublished event of the
  same case is held by another relay: with SKIP LOCKED alone, a second relay skipped the held row
  and published the case's next event first. Such rows stay for the next claim. A case's writers
  hold the case row, so its events' `created_at` follows their commit order. Consumers look up a
  case's earlier events (workers/handlers.py) through the same index.
- `cases.registered_at`: when the case was entered. `received_at` is when the request was taken
  (a relayed request may be entered up to 24 h later); SLA clocks start at `received_at`.
- `cases_repeat_of`: the cases linked as repeats of a case, for `Case.repeats`.

Revision ID: 0023
Revises: 0022
"""

from migrations.rls import run_script

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

CLAIM = """
CREATE OR REPLACE FUNCTION outbox_claim(p_limit integer) RETURNS SETOF outbox
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH claimed AS (
     SELECT * FROM outbox WHERE published_at IS NULL
     ORDER BY created_at LIMIT p_limit FOR UPDATE SKIP LOCKED
   )
   SELECT c.* FROM claimed c
   WHERE c.payload->>'case_id' IS NULL OR NOT EXISTS (
     SELECT 1 FROM outbox e
     WHERE e.published_at IS NULL AND e.org_id = c.org_id AND e.payload->>'case_id' = c.payload->>'case_id'
       AND e.created_at < c.created_at
       AND NOT EXISTS (SELECT 1 FROM claimed x WHERE x.org_id = e.org_id AND x.id = e.id))
   ORDER BY c.created_at $$;
"""

UPGRADE = CLAIM + """
-- A case's events: for the claim above, and for consumers that wait for a case's earlier events.
CREATE INDEX outbox_case ON outbox (org_id, (payload->>'case_id'), created_at);
ALTER TABLE cases ADD COLUMN registered_at timestamptz NOT NULL DEFAULT now();
UPDATE cases SET registered_at = received_at;
-- Case.repeats: the cases linked as repeats of one.
CREATE INDEX cases_repeat_of ON cases (org_id, repeat_of) WHERE repeat_of IS NOT NULL;
"""

DOWNGRADE = """
CREATE OR REPLACE FUNCTION outbox_claim(p_limit integer) RETURNS SETOF outbox
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT * FROM outbox WHERE published_at IS NULL
   ORDER BY created_at LIMIT p_limit FOR UPDATE SKIP LOCKED $$;
DROP INDEX IF EXISTS outbox_case;
DROP INDEX IF EXISTS cases_repeat_of;
ALTER TABLE cases DROP COLUMN IF EXISTS registered_at;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
