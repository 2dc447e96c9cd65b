"""Patrols (巡访 / 巡查), docs/centre-day.md §2.1: routes of points a person walks, each point with a
printed QR code (its token); plans saying who walks a route and when; runs materialised a week
ahead by the patrol sweep, one per plan and window; visits recorded at each point. A run's window
end plants the item ladder's timers (§1), so a missed patrol escalates as a late case does.

Revision ID: 0045_patrols
Revises: 0044_improvements
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0045_patrols"
down_revision = "0044_improvements"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE patrol_routes (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind           text NOT NULL CHECK (kind IN ('safety', 'engineering', 'cleaning', 'greening', 'visit')),
  department_id  uuid,
  active         boolean NOT NULL DEFAULT true,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, name),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, project_id, department_id) REFERENCES departments (org_id, project_id, id)
);

CREATE TABLE patrol_points (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  route_id     uuid NOT NULL,
  position     integer NOT NULL CHECK (position >= 1),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  building_id  uuid,
  place        text NOT NULL DEFAULT '' CHECK (length(place) <= 200),
  checks       text[] NOT NULL DEFAULT '{}' CHECK (cardinality(checks) <= 20),
  token        text NOT NULL CHECK (token ~ '^[A-Z2-7]{26}$'),
  active       boolean NOT NULL DEFAULT true,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, token),
  UNIQUE (org_id, route_id, position) DEFERRABLE INITIALLY IMMEDIATE,
  FOREIGN KEY (org_id, project_id, route_id) REFERENCES patrol_routes (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, building_id) REFERENCES buildings (org_id, project_id, id)
);

CREATE TABLE patrol_plans (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  route_id          uuid NOT NULL,
  assignee_user_id  uuid,
  department_id     uuid,
  cadence           text NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
  weekdays          smallint[] NOT NULL DEFAULT '{}' CHECK (weekdays <@ ARRAY[1,2,3,4,5,6,7]::smallint[]),
  month_days        smallint[] NOT NULL DEFAULT '{}' CHECK (month_days <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,
                      17,18,19,20,21,22,23,24,25,26,27,28,29,30,31]::smallint[]),
  window_start      time NOT NULL,
  window_minutes    integer NOT NULL CHECK (window_minutes BETWEEN 10 AND 1440),
  starts_on         date NOT NULL,
  ends_on           date,
  active            boolean NOT NULL DEFAULT true,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, route_id) REFERENCES patrol_routes (org_id, project_id, id),
  FOREIGN KEY (org_id, assignee_user_id) REFERENCES users (org_id, id),
  FOREIGN KEY (org_id, project_id, department_id) REFERENCES departments (org_id, project_id, id),
  CHECK ((assignee_user_id IS NULL) <> (department_id IS NULL)),
  CHECK (cadence <> 'weekly' OR cardinality(weekdays) > 0),
  CHECK (cadence <> 'monthly' OR cardinality(month_days) > 0),
  CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX patrol_plans_active ON patrol_plans (org_id, project_id) WHERE active;

CREATE TABLE patrol_runs (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  plan_id       uuid NOT NULL,
  route_id      uuid NOT NULL,
  due_from      timestamptz NOT NULL,
  due_until     timestamptz NOT NULL,
  state         text NOT NULL DEFAULT 'scheduled'
                CHECK (state IN ('scheduled', 'in_progress', 'done', 'missed', 'cancelled')),
  started_by    text,
  started_at    timestamptz,
  finished_at   timestamptz,
  points_total  integer NOT NULL,
  points_done   integer NOT NULL DEFAULT 0,
  missed_at     timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, plan_id, due_from),
  FOREIGN KEY (org_id, project_id, plan_id) REFERENCES patrol_plans (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, route_id) REFERENCES patrol_routes (org_id, project_id, id),
  CHECK (due_until > due_from)
);
CREATE INDEX patrol_runs_open ON patrol_runs (org_id, project_id, due_until) WHERE state IN ('scheduled', 'in_progress');
CREATE INDEX patrol_runs_window ON patrol_runs (org_id, project_id, due_from);

CREATE TABLE patrol_visits (
  org_id              uuid NOT NULL,
  project_id          uuid NOT NULL,
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  run_id              uuid NOT NULL,
  point_id            uuid NOT NULL,
  at                  timestamptz NOT NULL,
  scanned             boolean NOT NULL,
  result              text NOT NULL CHECK (result IN ('ok', 'issue', 'na')),
  note                text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  photos              text[] NOT NULL DEFAULT '{}' CHECK (cardinality(photos) <= 9),
  talked_unit_id      uuid,
  talked_resident_id  uuid,
  talk_note           text CHECK (length(talk_note) <= 1000),
  by                  text NOT NULL,
  case_id             uuid,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, run_id, point_id),
  FOREIGN KEY (org_id, project_id, run_id) REFERENCES patrol_runs (org_id, project_id, id),
  FOREIGN KEY (org_id, point_id) REFERENCES patrol_points (org_id, id),
  FOREIGN KEY (org_id, project_id, talked_unit_id) REFERENCES units (org_id, project_id, id),
  FOREIGN KEY (org_id, talked_resident_id) REFERENCES residents (org_id, id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);
"""

# The companies with an active plan, or with a run whose window ended unfinished (its plan since
# stopped): the sweep makes and closes runs in each. No time argument: a finder that takes the
# caller's time could be asked about every company at any moment.
_FINDER = f"""
CREATE FUNCTION orgs_with_patrol_plans() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id FROM patrol_plans WHERE active
   UNION
   SELECT org_id FROM patrol_runs WHERE state IN ('scheduled', 'in_progress') AND due_until <= now() $$;
REVOKE ALL ON FUNCTION orgs_with_patrol_plans() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_patrol_plans() TO {APP_ROLE};
"""


def upgrade() -> None:
    run_script(_TABLES + _FINDER
               + protect("patrol_routes", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("patrol_points", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("patrol_plans", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("patrol_runs", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("patrol_visits", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS orgs_with_patrol_plans();"
               "DROP TABLE IF EXISTS patrol_visits, patrol_runs, patrol_plans, patrol_points, patrol_routes;")
