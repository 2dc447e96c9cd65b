"""Fee upkeep (docs/resident-services.md, "As built — resident-service gaps").

Clearing an overpaid payment: a payment marked OVERPAID keeps, once a cashier has dealt with it,
when, by whom and how — the credit refunded (and the refund row that did it) or kept for the flat's
next bills — and the mark is lifted. The refund row a cashier records is a staff refund: `source =
'staff'`, no integration.

A cheap reminder sweep: `fee_reminder_marks` counts, per project, the changes that can make a flat
due for a reminder within a day — an open bill added, a bill owing more than before (reopened,
reversed, refunded, raised, due earlier), a hold, schedule or setting written — and
`fee_reminder_sweeps` remembers the count and the Beijing day of the project's last full sweep.
Nothing else makes a flat due between two sweeps of one day (every other rule is by the day), so a
sweep that finds both unchanged has nothing to send and reads no bill. Payments and credits only
lower what is owed and bump nothing, so cashiers never queue on the counter. The row triggers are
deferred (they fire at commit and lock the counter only for the commit itself) and bump a project
once per transaction; bills added take one statement trigger, so a run of 100,000 bills bumps once.
Both tables are the application's to read; only the definer functions write the counter.

Revision ID: 0057_fee_upkeep
Revises: 0056_patrol_point_added
"""

from migrations.rls import project_rule, protect, run_script

revision = "0057_fee_upkeep"
down_revision = "0056_patrol_point_added"
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


_MARKS = """
CREATE TABLE fee_reminder_marks (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  changes     bigint NOT NULL DEFAULT 1,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id)
);
CREATE TABLE fee_reminder_sweeps (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  swept_changes  bigint NOT NULL,
  swept_on       date NOT NULL,
  swept_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id)
);

CREATE FUNCTION fee_reminders_changed() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  org uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.org_id ELSE NEW.org_id END;
  project uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.project_id ELSE NEW.project_id END;
  done text := coalesce(current_setting('firstcall.fee_reminders_bumped', true), '');
BEGIN
  IF strpos(done, project::text) > 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO fee_reminder_marks AS m (org_id, project_id, changes, changed_at) VALUES (org, project, 1, clock_timestamp())
  ON CONFLICT (org_id, project_id) DO UPDATE SET changes = m.changes + 1, changed_at = EXCLUDED.changed_at;
  PERFORM set_config('firstcall.fee_reminders_bumped', done || project::text || ',', true);
  RETURN NULL;
END
$$;

CREATE FUNCTION fee_reminders_bills_added() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  INSERT INTO fee_reminder_marks AS m (org_id, project_id, changes, changed_at)
  SELECT a.org_id, a.project_id, 1, clock_timestamp() FROM (SELECT DISTINCT org_id, project_id FROM added WHERE state = 'open') a
  ON CONFLICT (org_id, project_id) DO UPDATE SET changes = m.changes + 1, changed_at = EXCLUDED.changed_at;
  RETURN NULL;
END
$$;

CREATE TRIGGER fee_reminders_bills_added AFTER INSERT ON bills REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION fee_reminders_bills_added();
CREATE CONSTRAINT TRIGGER fee_reminders_changed AFTER UPDATE ON bills DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.state = 'open' AND (OLD.state <> 'open' OR NEW.paid_fen < OLD.paid_fen OR NEW.waived_fen < OLD.waived_fen
        OR NEW.amount_fen > OLD.amount_fen OR NEW.due_on < OLD.due_on OR NEW.charge_item_id <> OLD.charge_item_id
        OR NEW.unit_id <> OLD.unit_id))
  EXECUTE FUNCTION fee_reminders_changed();
""" + "".join(
    f"CREATE CONSTRAINT TRIGGER fee_reminders_changed AFTER INSERT OR UPDATE OR DELETE ON {t} DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION fee_reminders_changed();\n" for t in ("fee_holds", "reminder_schedules", "fee_settings")
) + protect("fee_reminder_marks", project_rule(), "SELECT") + protect("fee_reminder_sweeps", project_rule(), "SELECT, INSERT, UPDATE")

_DROP_MARKS = """
DROP TRIGGER IF EXISTS fee_reminders_bills_added ON bills;
DROP TRIGGER IF EXISTS fee_reminders_changed ON bills;
DROP TRIGGER IF EXISTS fee_reminders_changed ON fee_holds;
DROP TRIGGER IF EXISTS fee_reminders_changed ON reminder_schedules;
DROP TRIGGER IF EXISTS fee_reminders_changed ON fee_settings;
DROP FUNCTION IF EXISTS fee_reminders_bills_added();
DROP FUNCTION IF EXISTS fee_reminders_changed();
DROP TABLE IF EXISTS fee_reminder_sweeps, fee_reminder_marks;
"""


def upgrade() -> None:
    run_script(_UP + _MARKS)


def downgrade() -> None:
    run_script(_DROP_MARKS + _DOWN)
