"""Reminders (催缴), docs/resident-services.md §6.6: a project's quiet hours and monthly cap
(`fee_settings`), its automatic schedules (`reminder_schedules`), every reminder sent or made by a
person (`fee_reminders`) and the flats whose automatic reminders are paused (`fee_holds`). Every
table walled by project.

The sweep asks one question across companies — which have an active schedule — through a
SECURITY DEFINER finder that takes no argument: a finder whose time the caller chose would let
any caller learn, minute by minute, which companies have work at which hour.

Residents (§6.9): the reminders of their current flats, made since they moved in, that were meant
for the app (`to_app`).

Revision ID: 0040_fee_reminders
Revises: 0039_fee_collection
"""

from migrations.rls import project_rule, protect, protect_for_resident, resident_unit_rule, run_script
from tenants.settings import APP_ROLE

revision = "0040_fee_reminders"
down_revision = "0039_fee_collection"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE fee_settings (
  org_id                  uuid NOT NULL,
  project_id              uuid NOT NULL,
  quiet_from              time NOT NULL DEFAULT '21:00',
  quiet_until             time NOT NULL DEFAULT '08:30',
  reminder_cap_per_month  smallint NOT NULL DEFAULT 3 CHECK (reminder_cap_per_month BETWEEN 1 AND 10),
  updated_by              text,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, project_id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

CREATE TABLE reminder_schedules (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  min_overdue_days  integer NOT NULL CHECK (min_overdue_days BETWEEN 1 AND 3650),
  min_amount_fen    bigint NOT NULL DEFAULT 0 CHECK (min_amount_fen >= 0),
  every_days        integer NOT NULL CHECK (every_days BETWEEN 1 AND 365),
  charge_item_ids   uuid[],
  channel_ids       uuid[] NOT NULL DEFAULT '{}',
  to_app            boolean NOT NULL DEFAULT true,
  active            boolean NOT NULL DEFAULT true,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX reminder_schedules_project ON reminder_schedules (org_id, project_id, active);

CREATE TABLE fee_reminders (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  unit_id         uuid NOT NULL,
  schedule_id     uuid,
  way             text NOT NULL CHECK (way IN ('auto', 'phone', 'visit', 'letter')),
  to_app          boolean NOT NULL DEFAULT false,
  channel_ids     uuid[] NOT NULL DEFAULT '{}',
  overdue_fen     bigint NOT NULL DEFAULT 0 CHECK (overdue_fen >= 0),
  oldest_due_on   date,
  month           date NOT NULL CHECK (extract(day FROM month) = 1),
  sent_on         date NOT NULL,
  by              text NOT NULL,
  note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  CHECK ((schedule_id IS NULL) = (way <> 'auto')),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, schedule_id) REFERENCES reminder_schedules (org_id, project_id, id)
);
-- A retried sweep of the same Beijing day inserts nothing twice.
CREATE UNIQUE INDEX fee_reminders_once ON fee_reminders (org_id, schedule_id, unit_id, sent_on) WHERE schedule_id IS NOT NULL;
-- The cap and a flat's history.
CREATE INDEX fee_reminders_unit ON fee_reminders (org_id, project_id, unit_id, month);
-- A flat's latest first (its history, the arrears list's last reminder), found by the flat alone.
CREATE INDEX fee_reminders_latest ON fee_reminders (org_id, unit_id, created_at DESC);

CREATE TABLE fee_holds (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  unit_id      uuid NOT NULL,
  until        date NOT NULL,
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  by           text NOT NULL,
  released_at  timestamptz,
  released_by  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id)
);
CREATE UNIQUE INDEX fee_holds_open ON fee_holds (org_id, unit_id) WHERE released_at IS NULL;
"""

_FINDER = f"""
CREATE FUNCTION orgs_with_fee_reminders() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM reminder_schedules WHERE active $$;
REVOKE ALL ON FUNCTION orgs_with_fee_reminders() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_fee_reminders() TO {APP_ROLE};
"""

# Qualified: inside the rule's subquery over resident_stays() a bare `unit_id` is the stay's own
# column, and the rule would hold for every flat of the project.
_RESIDENT_REMINDER = f"to_app AND {resident_unit_rule('fee_reminders.unit_id', 'fee_reminders.created_at')}"


def upgrade() -> None:
    run_script(_TABLES + _FINDER + "".join(protect(t, project_rule())
                                           for t in ("fee_settings", "reminder_schedules", "fee_reminders", "fee_holds"))
               + protect_for_resident("fee_reminders", {"SELECT": _RESIDENT_REMINDER},
                                      "id, org_id, project_id, unit_id, way, to_app, overdue_fen, oldest_due_on, month, "
                                      "sent_on, created_at"))


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS orgs_with_fee_reminders();"
               "DROP TABLE IF EXISTS fee_holds, fee_reminders, reminder_schedules, fee_settings;")
