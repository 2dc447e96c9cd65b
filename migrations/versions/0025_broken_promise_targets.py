"""A broken promise stays broken: `case_targets.broken_at` records when the promise a resolution
target stood for was broken (`missPromise`). The target then reads breached until it is met, and
met late after — whatever the new promise says; the new promise still drives its timers.

Existing targets are filled from the audit log: the first broken promise within each target's span.

Revision ID: 0025
Revises: 0024
"""

from migrations.rls import run_script

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script("""
ALTER TABLE case_targets ADD COLUMN broken_at timestamptz;
UPDATE case_targets t SET broken_at = b.at
FROM (SELECT t2.org_id, t2.case_id, t2.round, min(a.at) AS at
      FROM case_targets t2 JOIN audit_log a ON a.org_id = t2.org_id AND a.entity_id = t2.case_id
       AND a.action = 'case.promise_broken' AND a.at >= t2.started_at AND (t2.met_at IS NULL OR a.at <= t2.met_at)
      WHERE t2.target = 'resolve' GROUP BY t2.org_id, t2.case_id, t2.round) b
WHERE t.org_id = b.org_id AND t.case_id = b.case_id AND t.round = b.round AND t.target = 'resolve';
""")


def downgrade() -> None:
    run_script("ALTER TABLE case_targets DROP COLUMN broken_at;")
