"""Events of one case in commit order; the time a request was taken beside the time it was entered.

- `outbox_claim` no longer hands a relay a case's event while an earlier unpublished event of the
  same case is held by another relay: with SKIP LOCKED alone, a second relay skipped the held row
  and published the case's next event first. Such rows stay for the next claim. A case's writers
  hold the case row, so its events' `created_at` follows their commit order. Consumers look up a
  case's earlier events (workers/handlers.py) through the same index.
- `sla_fire_due` passes over a timer whose case a transition holds (it fires on the next round).
  Before, the escalation's foreign-key check waited for that transition with the whole batch
  claimed, and deadlocked with a transition dropping one of those timers; now the case's events
  and its escalation still follow one another in commit order, without the wait.
- `cases.registered_at`: when the case was entered. `received_at` is when the request was taken
  (a relayed request may be entered up to 24 h later); SLA clocks start at `received_at`.
- `cases_repeat_of`: the cases linked as repeats of a case, for `Case.repeats`.

Revision ID: 0023
Revises: 0021
"""

from migrations.rls import run_script

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None

CLAIM = """
CREATE OR REPLACE FUNCTION outbox_claim(p_limit integer) RETURNS SETOF outbox
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH claimed AS (
     SELECT * FROM outbox WHERE published_at IS NULL
     ORDER BY created_at LIMIT p_limit FOR UPDATE SKIP LOCKED
   )
   SELECT c.* FROM claimed c
   WHERE c.payload->>'case_id' IS NULL OR NOT EXISTS (
     SELECT 1 FROM outbox e
     WHERE e.published_at IS NULL AND e.org_id = c.org_id AND e.payload->>'case_id' = c.payload->>'case_id'
       AND e.created_at < c.created_at
       AND NOT EXISTS (SELECT 1 FROM claimed x WHERE x.org_id = e.org_id AND x.id = e.id))
   ORDER BY c.created_at $$;
"""

FIRE = """
-- The scanner's one statement: claim due timers, fire them, record and announce each escalation.
CREATE OR REPLACE FUNCTION sla_fire_due(p_batch integer) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH due AS (
     -- now(), not clock_timestamp(): a stable bound is an index condition; a volatile one
     -- would be a filter, walking every open timer whenever fewer than a batch are due.
     SELECT t.org_id, t.case_id, t.target, t.round, t.level FROM sla_timers t
     -- A case a transition holds is passed over until it commits (see above).
     JOIN cases c ON c.org_id = t.org_id AND c.id = t.case_id
     WHERE t.fired_at IS NULL AND t.due_at <= now()
     ORDER BY t.due_at LIMIT p_batch FOR UPDATE OF t SKIP LOCKED FOR SHARE OF c SKIP LOCKED
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
            '{}'::jsonb
     FROM escalated e RETURNING 1
   )
   SELECT count(*)::integer FROM announced $$;
"""
FIRE_BEFORE = """
-- The scanner's one statement: claim due timers, fire them, record and announce each escalation.
CREATE OR REPLACE FUNCTION sla_fire_due(p_batch integer) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH due AS (
     -- now(), not clock_timestamp(): a stable bound is an index condition; a volatile one
     -- would be a filter, walking every open timer whenever fewer than a batch are due.
     SELECT t.org_id, t.case_id, t.target, t.round, t.level FROM sla_timers t
     WHERE t.fired_at IS NULL AND t.due_at <= now()
     ORDER BY t.due_at LIMIT p_batch FOR UPDATE SKIP LOCKED
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
            '{}'::jsonb
     FROM escalated e RETURNING 1
   )
   SELECT count(*)::integer FROM announced $$;
"""

UPGRADE = CLAIM + FIRE + """
-- A case's events: for the claim above, and for consumers that wait for a case's earlier events.
CREATE INDEX outbox_case ON outbox (org_id, (payload->>'case_id'), created_at);
ALTER TABLE cases ADD COLUMN registered_at timestamptz NOT NULL DEFAULT now();
UPDATE cases SET registered_at = received_at;
-- Case.repeats: the cases linked as repeats of one.
CREATE INDEX cases_repeat_of ON cases (org_id, repeat_of) WHERE repeat_of IS NOT NULL;
"""

DOWNGRADE = FIRE_BEFORE + """
CREATE OR REPLACE FUNCTION outbox_claim(p_limit integer) RETURNS SETOF outbox
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT * FROM outbox WHERE published_at IS NULL
   ORDER BY created_at LIMIT p_limit FOR UPDATE SKIP LOCKED $$;
DROP INDEX IF EXISTS outbox_case;
DROP INDEX IF EXISTS cases_repeat_of;
ALTER TABLE cases DROP COLUMN IF EXISTS registered_at;
"""


def upgrade() -> None:
    run_script(UPGRADE)


def downgrade() -> None:
    run_script(DOWNGRADE)
