"""The overview's version pushed to the API processes (issue 19 §3, api/live/overview_versions.py).

A row trigger on `overview_versions` says `<company> <version>` on the channel `firstcall_overview`
whenever a company's version is written and has moved. The bump (migration 0055) writes a
company's row once per transaction, at commit, so a write transaction notifies once per company it
touched, and one that leaves the overview as it was notifies nothing. The trigger is on the counter
rather than in the bump so that every change of it is heard, a hand-made `UPDATE` as well.

NOTIFY's cost: at COMMIT a notifying transaction takes the database's notify lock and holds it to
its end (`Lock:object` waits when many commit at once). Most transactions that bump the overview
already hold it — they write outbox rows, whose statement trigger notifies `firstcall_outbox`
(migration 0001) — and the ones that do not (the rollup consumers, the sweeps, a rebuild) are already
one at a time per company on the counter's row, which they lock from the bump to the end of COMMIT.

Revision ID: 0062_overview_notify
Revises: 0060_kpi_month_computed
"""

from migrations.rls import run_script

revision = "0062_overview_notify"
down_revision = "0060_kpi_month_computed"
branch_labels = None
depends_on = None

_UP = """
CREATE FUNCTION overview_version_notify() RETURNS trigger
LANGUAGE plpgsql AS
$$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.version = NEW.version THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('firstcall_overview', NEW.org_id::text || ' ' || NEW.version::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER overview_version_notify AFTER INSERT OR UPDATE OF version ON overview_versions
FOR EACH ROW EXECUTE FUNCTION overview_version_notify();
"""


def upgrade() -> None:
    run_script(_UP)


def downgrade() -> None:
    run_script("DROP TRIGGER IF EXISTS overview_version_notify ON overview_versions;\n"
               "DROP FUNCTION IF EXISTS overview_version_notify();")
