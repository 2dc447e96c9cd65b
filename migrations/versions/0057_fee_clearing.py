"""Clearing an overpaid payment (docs/resident-services.md, "As built — resident-service gaps"): a
payment marked OVERPAID keeps, once a cashier has dealt with it, when, by whom and how — the credit
refunded (and the refund row that did it) or kept for the flat's next bills — and the mark is
lifted. The refund row a cashier records is a staff refund: `source = 'staff'`, no integration.

Revision ID: 0057_fee_clearing
Revises: 0055_overview_cache
"""

from migrations.rls import run_script

revision = "0057_fee_clearing"
down_revision = "0055_overview_cache"
branch_labels = None
depends_on = None

_UP = """
ALTER TABLE payments
  ADD COLUMN problem_cleared_at  timestamptz,
  ADD COLUMN problem_cleared_by  text,
  ADD COLUMN problem_resolution  text CHECK (problem_resolution IN ('refund', 'credit')),
  ADD COLUMN problem_note        text CHECK (length(problem_note) <= 200),
  ADD COLUMN problem_refund_id   uuid,
  ADD CONSTRAINT payments_cleared_check CHECK ((problem_cleared_at IS NULL) = (problem_resolution IS NULL)
                                               AND (problem_cleared_at IS NULL OR problem IS NULL)),
  ADD CONSTRAINT payments_problem_refund_fkey FOREIGN KEY (org_id, problem_refund_id) REFERENCES payments (org_id, id);
"""

_DOWN = """
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_problem_refund_fkey, DROP CONSTRAINT IF EXISTS payments_cleared_check,
  DROP COLUMN IF EXISTS problem_refund_id, DROP COLUMN IF EXISTS problem_note, DROP COLUMN IF EXISTS problem_resolution,
  DROP COLUMN IF EXISTS problem_cleared_by, DROP COLUMN IF EXISTS problem_cleared_at;
"""


def upgrade() -> None:
    run_script(_UP)


def downgrade() -> None:
    run_script(_DOWN)
