"""SLA: the policy matrix (company defaults, project overrides), the escalation ladder, the
company's own calendar days, working hours per project, per-case targets, the timers that
climb the ladder, and the escalations they fire.

Timers live in the database (DESIGN §4): `sla_fire_due` claims due rows with FOR UPDATE SKIP
LOCKED and, in the one statement, marks them fired, records the escalation with its recipients
and writes the outbox event — so several scanners can run, and a crash before the commit
leaves the timer due, never fired twice.

Revision ID: 0006
Revises: 0005
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KINDS = ("repair", "complaint", "inquiry", "request", "suggestion", "praise", "report")
SEVERITIES = ("emergency", "major", "general")
# (commit, arrive, resolve, return visit) minutes by severity — the industry defaults of DESIGN §4,
# frozen as they were at this revision (domain/sla/policy.py seeds new companies).
DEFAULTS = {"emergency": (5, 30, 120, 2880), "major": (15, 60, 360, 2880), "general": (30, 120, 1440, 2880)}


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


TABLES = f"""
ALTER TABLE projects ADD COLUMN work_opens time NOT NULL DEFAULT '08:30',
                     ADD COLUMN work_closes time NOT NULL DEFAULT '17:30',
                     ADD CONSTRAINT projects_work_hours CHECK (work_closes > work_opens);

CREATE TABLE sla_policies (
  org_id           uuid NOT NULL REFERENCES organizations (org_id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id       uuid,  -- NULL: the company's default
  kind             text NOT NULL CHECK (kind IN {_in(KINDS)}),
  severity         text NOT NULL CHECK (severity IN {_in(SEVERITIES)}),
  clock            text NOT NULL DEFAULT 'always' CHECK (clock IN ('always', 'working_hours', 'working_days')),
  commit_minutes   integer NOT NULL CHECK (commit_minutes BETWEEN 1 AND 525600),
  arrive_minutes   integer NOT NULL CHECK (arrive_minutes BETWEEN 1 AND 525600),
  resolve_minutes  integer NOT NULL CHECK (resolve_minutes BETWEEN 1 AND 525600),
  visit_minutes    integer NOT NULL CHECK (visit_minutes BETWEEN 1 AND 525600),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text NOT NULL DEFAULT 'system',
  PRIMARY KEY (org_id, id),
  UNIQUE NULLS NOT DISTINCT (org_id, project_id, kind, severity),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

CREATE TABLE sla_ladders (
  org_id      uuid PRIMARY KEY REFERENCES organizations (org_id),
  remind_pct  integer NOT NULL DEFAULT 80,
  l1_pct      integer NOT NULL DEFAULT 100,
  l2_pct      integer NOT NULL DEFAULT 150,
  l3_pct      integer NOT NULL DEFAULT 200,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL DEFAULT 'system',
  CHECK (0 < remind_pct AND remind_pct < l1_pct AND l1_pct < l2_pct AND l2_pct < l3_pct AND l3_pct <= 1000)
);

-- Holidays and make-up working days a company enters (the State Council publishes each year's in November).
CREATE TABLE calendar_days (
  org_id   uuid NOT NULL REFERENCES organizations (org_id),
  day      date NOT NULL,
  working  boolean NOT NULL,
  name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  PRIMARY KEY (org_id, day)
);

-- A year some deadline needed and no calendar covered: asked for once, until entered.
CREATE TABLE calendar_gaps (
  org_id      uuid NOT NULL REFERENCES organizations (org_id),
  year        integer NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, year)
);

CREATE TABLE case_targets (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  case_id         uuid NOT NULL,
  target          text NOT NULL CHECK (target IN ('commit', 'arrive', 'resolve', 'visit')),
  round           smallint NOT NULL DEFAULT 0,  -- a reopened case's work is a new round
  clock           text NOT NULL,
  started_at      timestamptz NOT NULL,
  budget_minutes  double precision NOT NULL,
  -- The clock's minutes spent waiting (on the resident, on an outside body): added back.
  paused_minutes  double precision NOT NULL DEFAULT 0,
  due_at          timestamptz NOT NULL,
  provisional     boolean NOT NULL DEFAULT false,
  paused_at       timestamptz,
  met_at          timestamptz,
  closed_by       text,  -- met, cancelled, declined, superseded
  PRIMARY KEY (org_id, case_id, target, round),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);
CREATE INDEX case_targets_open ON case_targets (org_id, project_id, due_at) WHERE met_at IS NULL;

CREATE TABLE sla_timers (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  case_id     uuid NOT NULL,
  target      text NOT NULL,
  round       smallint NOT NULL,
  level       text NOT NULL CHECK (level IN ('remind', 'l1', 'l2', 'l3')),
  due_at      timestamptz NOT NULL,
  fired_at    timestamptz,
  PRIMARY KEY (org_id, case_id, target, round, level),
  FOREIGN KEY (org_id, case_id, target, round) REFERENCES case_targets (org_id, case_id, target, round) ON DELETE CASCADE
);
CREATE INDEX sla_timers_due ON sla_timers (due_at) WHERE fired_at IS NULL;

CREATE TABLE escalations (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL,
  target      text,
  round       smallint,
  level       text NOT NULL CHECK (level IN ('remind', 'l1', 'l2', 'l3')),
  reason      text NOT NULL CHECK (reason IN ('timer', 'undispatchable', 'dissatisfied', 'skip_level')),
  due_at      timestamptz,
  fired_at    timestamptz NOT NULL DEFAULT now(),
  recipients  uuid[] NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);
CREATE INDEX escalations_case ON escalations (org_id, case_id, fired_at);

-- Who hears of an escalation: the handler for a reminder, the project's CS supervisors at L1,
-- its managers at L2, headquarters' supervisors and quality staff at L3.
CREATE FUNCTION escalation_recipients(p_org uuid, p_project uuid, p_case uuid, p_level text) RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = public, pg_temp AS
$$ SELECT CASE p_level
     WHEN 'remind' THEN ARRAY(SELECT coalesce(c.assignee_id, c.first_receiver_id) FROM cases c
                              WHERE c.org_id = p_org AND c.id = p_case)
     ELSE ARRAY(SELECT DISTINCT r.user_id FROM role_assignments r JOIN users u ON u.org_id = r.org_id AND u.id = r.user_id
                WHERE r.org_id = p_org AND u.active AND (
                  (p_level = 'l1' AND r.role = 'cs_supervisor' AND r.project_id = p_project) OR
                  (p_level = 'l2' AND r.role = 'project_manager' AND r.project_id = p_project) OR
                  (p_level = 'l3' AND r.role IN ('hq_supervisor', 'hq_quality')))
                ORDER BY r.user_id)
   END $$;

-- The same for a transition inside a tenant's wall, which cannot see headquarters' role rows:
-- always the caller's own company, and only for a project the caller may see.
CREATE FUNCTION tenant_escalation_recipients(p_project uuid, p_case uuid, p_level text) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT escalation_recipients(app_org_id(), p_project, p_case, p_level)
   WHERE app_org_id() IS NOT NULL AND (app_all_projects() OR p_project = ANY (app_project_ids())) $$;

-- The scanner's one statement: claim due timers, fire them, record and announce each escalation.
CREATE FUNCTION sla_fire_due(p_batch integer) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH due AS (
     -- now(), not clock_timestamp(): a stable bound is an index condition; a volatile one
     -- would be a filter, walking every open timer whenever fewer than a batch are due.
     SELECT org_id, case_id, target, round, level FROM sla_timers
     WHERE fired_at IS NULL AND due_at <= now()
     ORDER BY due_at LIMIT p_batch FOR UPDATE SKIP LOCKED
   ), fired AS (
     UPDATE sla_timers t SET fired_at = clock_timestamp() FROM due d
     WHERE t.org_id = d.org_id AND t.case_id = d.case_id AND t.target = d.target AND t.round = d.round AND t.level = d.level
     RETURNING t.*
   ), escalated AS (
     INSERT INTO escalations (org_id, project_id, case_id, target, round, level, reason, due_at, fired_at, recipients)
     SELECT f.org_id, f.project_id, f.case_id, f.target, f.round, f.level, 'timer', f.due_at, f.fired_at,
            escalation_recipients(f.org_id, f.project_id, f.case_id, f.level)
     FROM fired f RETURNING *
   ), announced AS (
     INSERT INTO outbox (org_id, id, project_id, topic, payload, trace_context)
     SELECT e.org_id, gen_random_uuid(), e.project_id, 'case.escalated',
            jsonb_build_object('case_id', e.case_id, 'escalation_id', e.id, 'target', e.target, 'round', e.round,
                               'level', e.level, 'reason', e.reason, 'due_at', e.due_at, 'fired_at', e.fired_at,
                               'recipients', to_jsonb(e.recipients)),
            '{{}}'::jsonb
     FROM escalated e RETURNING 1
   )
   SELECT count(*)::integer FROM announced $$;

-- When the next timer falls due (across companies; only the time, nothing else).
CREATE FUNCTION sla_next_due() RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT min(due_at) FROM sla_timers WHERE fired_at IS NULL $$;

REVOKE ALL ON FUNCTION sla_fire_due(integer), sla_next_due(), tenant_escalation_recipients(uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sla_fire_due(integer), sla_next_due(), tenant_escalation_recipients(uuid, uuid, text) TO {APP_ROLE};
"""

# Company defaults can be read by every project of the company; overrides by their project.
DEFAULT_OR_PROJECT = (
    "org_id = (SELECT app_org_id()) AND (project_id IS NULL OR (SELECT app_all_projects()) "
    "OR project_id = ANY ((SELECT app_project_ids())::uuid[]))"
)

POLICIES = (
    protect("sla_policies", DEFAULT_OR_PROJECT)
    + protect("sla_ladders", ORG_ONLY, "SELECT, INSERT, UPDATE")
    + protect("calendar_days", ORG_ONLY)
    + protect("calendar_gaps", ORG_ONLY, "SELECT, INSERT, DELETE")
    + protect("case_targets", project_rule(), "SELECT, INSERT, UPDATE")
    + protect("sla_timers", project_rule())
    + protect("escalations", project_rule(), "SELECT, INSERT")
)


def seed_sql() -> str:
    rows = ", ".join(f"('{k}', '{s}', {c}, {a}, {r}, {v})" for k in KINDS for s, (c, a, r, v) in DEFAULTS.items())
    return (
        "INSERT INTO sla_policies (org_id, kind, severity, commit_minutes, arrive_minutes, resolve_minutes, visit_minutes) "
        f"SELECT o.org_id, v.* FROM organizations o CROSS JOIN (VALUES {rows}) AS v(kind, severity, c, a, r, vi) "
        "ON CONFLICT DO NOTHING;"
        "INSERT INTO sla_ladders (org_id) SELECT org_id FROM organizations ON CONFLICT DO NOTHING;"
    )


def upgrade() -> None:
    run_script(TABLES + POLICIES + seed_sql())


def downgrade() -> None:
    run_script(
        "DROP FUNCTION IF EXISTS sla_fire_due(integer), sla_next_due(), tenant_escalation_recipients(uuid, uuid, text), "
        "escalation_recipients(uuid, uuid, uuid, text);"
        "DROP TABLE IF EXISTS escalations, sla_timers, case_targets, calendar_gaps, calendar_days, sla_ladders, sla_policies;"
        "ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_work_hours, DROP COLUMN IF EXISTS work_opens, "
        "DROP COLUMN IF EXISTS work_closes;"
    )
