"""Switching patrols and sweeps off, and cancelling a run (docs/centre-day.md §2): a cancelled
patrol run keeps when, by whom, why and what cancelled it — the run itself, or its plan or route
switched off or edited (those come back when the plan runs again); a sweep closes, from draft or
under way, with when and by whom.

Revision ID: 0054_centre_edits
Revises: 0053_call_rollups
"""

from migrations.rls import run_script

revision = "0054_centre_edits"
down_revision = "0053_call_rollups"
branch_labels = None
depends_on = None

_UP = """
ALTER TABLE patrol_runs
  ADD COLUMN cancelled_at   timestamptz,
  ADD COLUMN cancelled_by   text,
  ADD COLUMN cancel_reason  text CHECK (length(cancel_reason) <= 200),
  ADD COLUMN cancelled_with text CHECK (cancelled_with IN ('run', 'plan', 'route')),
  ADD CONSTRAINT patrol_runs_cancelled_check CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL));

ALTER TABLE sweeps
  ADD COLUMN closed_at   timestamptz,
  ADD COLUMN closed_by   text,
  ADD COLUMN close_note  text NOT NULL DEFAULT '' CHECK (length(close_note) <= 500),
  DROP CONSTRAINT sweeps_check,
  ADD CONSTRAINT sweeps_launched_check CHECK (state <> 'launched' OR launched_at IS NOT NULL),
  ADD CONSTRAINT sweeps_draft_check CHECK (state <> 'draft' OR launched_at IS NULL),
  ADD CONSTRAINT sweeps_closed_check CHECK ((state = 'closed') = (closed_at IS NOT NULL));
"""

_DOWN = """
ALTER TABLE patrol_runs DROP CONSTRAINT patrol_runs_cancelled_check, DROP COLUMN cancelled_with, DROP COLUMN cancel_reason,
  DROP COLUMN cancelled_by, DROP COLUMN cancelled_at;
UPDATE sweeps SET launched_at = closed_at WHERE state = 'closed' AND launched_at IS NULL;
ALTER TABLE sweeps DROP CONSTRAINT sweeps_closed_check, DROP CONSTRAINT sweeps_draft_check,
  DROP CONSTRAINT sweeps_launched_check, DROP COLUMN close_note, DROP COLUMN closed_by, DROP COLUMN closed_at,
  ADD CONSTRAINT sweeps_check CHECK ((state = 'draft') = (launched_at IS NULL));
"""


def upgrade() -> None:
    run_script(_UP)


def downgrade() -> None:
    run_script(_DOWN)
