"""Improvement plans (持续改进) and the ladder for things that are not cases, docs/centre-day.md §1
and §6: a corrective action raised from a case review, an alert, an inspection (later a hazard
or a sweep), owned by a person, due on a day, done with evidence and verified by headquarters.
An overdue action climbs the organisation as a late case does: `item_timers` hold its levels at
the company's ladder percentages, and the timer scanner fires them with `item_fire_due`, which
records each escalation and its outbox event in one statement (as `sla_fire_due` does for cases).

Revision ID: 0044_improvements
Revises: 0043_knowledge
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0044_improvements"
down_revision = "0043_knowledge"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE improvement_actions (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  source          text NOT NULL CHECK (source IN ('case_review', 'alert', 'inspection', 'hazard', 'sweep', 'other')),
  source_id       uuid,
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  description     text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  owner_user_id   uuid NOT NULL,
  due_on          date NOT NULL,
  state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'verified')),
  evidence_note   text CHECK (length(evidence_note) <= 2000),
  evidence_files  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(evidence_files) <= 9),
  done_at         timestamptz,
  done_by         text,
  verified_at     timestamptz,
  verified_by     text,
  return_reason   text CHECK (length(return_reason) <= 200),
  returned_count  integer NOT NULL DEFAULT 0,
  raised_by       text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, owner_user_id) REFERENCES users (org_id, id),
  CHECK ((source = 'other') = (source_id IS NULL))
);
CREATE INDEX improvement_actions_open ON improvement_actions (org_id, project_id, state, due_on);

CREATE TABLE item_timers (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  subject_kind   text NOT NULL CHECK (subject_kind IN ('action', 'patrol_run', 'hazard', 'sweep_project')),
  subject_id     uuid NOT NULL,
  level          text NOT NULL CHECK (level IN ('remind', 'l1', 'l2', 'l3')),
  owner_user_id  uuid,
  due_at         timestamptz NOT NULL,
  fired_at       timestamptz,
  PRIMARY KEY (org_id, subject_kind, subject_id, level),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX item_timers_due ON item_timers (due_at) WHERE fired_at IS NULL;

CREATE TABLE item_escalations (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  subject_kind  text NOT NULL,
  subject_id    uuid NOT NULL,
  level         text NOT NULL,
  due_at        timestamptz NOT NULL,
  fired_at      timestamptz NOT NULL,
  recipients    uuid[] NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX item_escalations_subject ON item_escalations (org_id, subject_kind, subject_id, fired_at);
"""

_FUNCTIONS = f"""
-- Whom a level reaches: the owner is reminded; then the project's CS supervisors, its managers,
-- headquarters — the rungs of a case's ladder (escalation_recipients), with the item's owner
-- where a case has its handler.
CREATE FUNCTION item_escalation_recipients(p_org uuid, p_project uuid, p_owner uuid, p_level text) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT CASE p_level
     WHEN 'remind' THEN ARRAY(SELECT u.id FROM users u WHERE u.org_id = p_org AND u.id = p_owner AND u.active)
     ELSE ARRAY(SELECT DISTINCT r.user_id FROM role_assignments r JOIN users u ON u.org_id = r.org_id AND u.id = r.user_id
                WHERE r.org_id = p_org AND u.active AND (
                  (p_level = 'l1' AND r.role = 'cs_supervisor' AND r.project_id = p_project) OR
                  (p_level = 'l2' AND r.role = 'project_manager' AND r.project_id = p_project) OR
                  (p_level = 'l3' AND r.role IN ('hq_supervisor', 'hq_quality')))
                ORDER BY r.user_id)
   END $$;

-- The scanner's second statement: claim due item timers, fire them, record and announce each.
CREATE FUNCTION item_fire_due(p_batch integer) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH due AS (
     SELECT org_id, subject_kind, subject_id, level FROM item_timers
     WHERE fired_at IS NULL AND due_at <= now()
     ORDER BY due_at LIMIT p_batch FOR UPDATE SKIP LOCKED
   ), fired AS (
     UPDATE item_timers t SET fired_at = clock_timestamp() FROM due d
     WHERE t.org_id = d.org_id AND t.subject_kind = d.subject_kind AND t.subject_id = d.subject_id AND t.level = d.level
     RETURNING t.*
   ), escalated AS (
     INSERT INTO item_escalations (org_id, project_id, subject_kind, subject_id, level, due_at, fired_at, recipients)
     SELECT f.org_id, f.project_id, f.subject_kind, f.subject_id, f.level, f.due_at, f.fired_at,
            item_escalation_recipients(f.org_id, f.project_id, f.owner_user_id, f.level)
     FROM fired f RETURNING *
   ), announced AS (
     INSERT INTO outbox (org_id, id, project_id, topic, payload, trace_context)
     SELECT e.org_id, gen_random_uuid(), e.project_id, 'item.escalated',
            jsonb_build_object('kind', e.subject_kind, 'id', e.subject_id, 'escalation_id', e.id, 'level', e.level,
                               'due_at', e.due_at, 'fired_at', e.fired_at, 'recipients', to_jsonb(e.recipients)),
            '{{}}'::jsonb
     FROM escalated e RETURNING 1
   )
   SELECT count(*)::integer FROM announced $$;

-- When the next item timer falls due (across companies; only the time).
CREATE FUNCTION item_next_due() RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT min(due_at) FROM item_timers WHERE fired_at IS NULL $$;

REVOKE ALL ON FUNCTION item_fire_due(integer), item_next_due(), item_escalation_recipients(uuid, uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION item_fire_due(integer), item_next_due() TO {APP_ROLE};
"""


def upgrade() -> None:
    run_script(_TABLES + _FUNCTIONS
               + protect("improvement_actions", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("item_timers", project_rule())
               + protect("item_escalations", project_rule(), "SELECT, INSERT"))


def downgrade() -> None:
    run_script("DROP FUNCTION IF EXISTS item_fire_due(integer), item_next_due(), "
               "item_escalation_recipients(uuid, uuid, uuid, text);"
               "DROP TABLE IF EXISTS item_escalations, item_timers, improvement_actions;")
