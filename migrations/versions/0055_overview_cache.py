"""The overview's version (docs/architecture.md "KPI rollups", "The overview's cache"): one
counter row per company, `overview_versions`, bumped by a trigger on every table `orgOverview`
reads — the month and live rollups, the fee and call months, the stored evaluation, the weights,
open alerts, timer L1 escalations (breaches today), the archive accuracy and the projects — so
every writer (the outbox consumers, `firstcall rollups rebuild`, the sweeps, the mutations)
bumps it in its own transaction. The API keeps rendered answers keyed by it.

The triggers are deferred constraint triggers: they fire at commit, so the counter row is locked
only for the commit itself and a company's writers do not queue behind each other for the whole
of their transactions; a transaction bumps each company once (a transaction-local setting
remembers which), however many rows it writes. They run as the owner (SECURITY DEFINER); the
application role may only read its own company's row.

Revision ID: 0055_overview_cache
Revises: 0054_centre_edits
"""

from migrations.rls import ORG_ONLY, protect, run_script

revision = "0055_overview_cache"
down_revision = "0054_centre_edits"
branch_labels = None
depends_on = None

# What orgOverview reads (domain/kpi/month.py MONTH_SQL), and the weights its scores follow.
TABLES = ("projects", "kpi_project_month", "kpi_project_live", "kpi_fee_month", "kpi_call_month", "kpi_project_score",
          "kpi_weights", "alerts", "archive_accuracy_live")

_FUNCTION = """
CREATE TABLE overview_versions (
  org_id      uuid NOT NULL PRIMARY KEY,
  version     bigint NOT NULL DEFAULT 1,
  changed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION overview_changed() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  org uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.org_id ELSE NEW.org_id END;
  done text := coalesce(current_setting('firstcall.overview_bumped', true), '');
BEGIN
  IF strpos(done, org::text) > 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO overview_versions AS v (org_id, version, changed_at) VALUES (org, 1, clock_timestamp())
  ON CONFLICT (org_id) DO UPDATE SET version = v.version + 1, changed_at = EXCLUDED.changed_at;
  PERFORM set_config('firstcall.overview_bumped', done || org::text || ',', true);
  RETURN NULL;
END
$$;
"""


def _trigger(table: str, events: str = "INSERT OR UPDATE OR DELETE", name: str = "overview_changed", when: str = "") -> str:
    return (f"CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {table} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW {when}EXECUTE FUNCTION overview_changed();\n")


# Breaches today count timer L1 escalations only: the other escalations (reminders, immediate
# ones written with a new case) leave the overview as it was and do not bump.
_ESCALATIONS = (_trigger("escalations", "INSERT OR UPDATE", when="WHEN (NEW.level = 'l1' AND NEW.reason = 'timer') ")
                + _trigger("escalations", "DELETE", "overview_changed_delete", "WHEN (OLD.level = 'l1' AND OLD.reason = 'timer') "))


def upgrade() -> None:
    run_script(_FUNCTION + protect("overview_versions", ORG_ONLY, "SELECT") + "".join(_trigger(t) for t in TABLES) + _ESCALATIONS)


def downgrade() -> None:
    run_script("".join(f"DROP TRIGGER IF EXISTS overview_changed ON {t};\n" for t in (*TABLES, "escalations"))
               + "DROP TRIGGER IF EXISTS overview_changed_delete ON escalations;\n"
               "DROP FUNCTION IF EXISTS overview_changed(); DROP TABLE IF EXISTS overview_versions;")
