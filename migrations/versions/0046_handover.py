"""Reception rota and shift handover (接访轮值 / 交接班), docs/centre-day.md §3 and §4.

`duty_shifts.kind` tells a reception shift (a manager at the front desk) from a dispatch one, and
`cases.reception_user_id` records the manager on reception duty when a front-desk or walk-in
case was taken. A shift's work log (`shift_logs`) holds notes and open items
(`shift_log_entries`); handed over, its open items are copied into the next shift's log
(`carried_from`, `carry_count`), which is acknowledged by name (`handover_acks`) before anything
is written in it.

Revision ID: 0046_handover
Revises: 0045_patrols
"""

from migrations.rls import project_rule, protect, run_script

revision = "0046_handover"
down_revision = "0045_patrols"
branch_labels = None
depends_on = None

_TABLES = """
ALTER TABLE duty_shifts ADD COLUMN kind text NOT NULL DEFAULT 'dispatch' CHECK (kind IN ('dispatch', 'reception'));
CREATE INDEX duty_shifts_reception ON duty_shifts (org_id, project_id, starts_at, ends_at) WHERE kind = 'reception';

ALTER TABLE cases ADD COLUMN reception_user_id uuid;
-- Every existing row is NULL, so the check of old rows is skipped rather than scanning the table under lock.
ALTER TABLE cases ADD CONSTRAINT cases_reception_user FOREIGN KEY (org_id, reception_user_id)
  REFERENCES users (org_id, id) NOT VALID;

CREATE TABLE shift_logs (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  department_id   uuid,  -- NULL: the service centre
  shift_start     timestamptz NOT NULL,
  shift_end       timestamptz NOT NULL,
  author_user_id  uuid NOT NULL,
  summary         text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
  state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'handed_over')),
  handed_over_at  timestamptz,
  handed_over_by  text,
  next_log_id     uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, next_log_id),
  CHECK (shift_end > shift_start),
  CHECK ((state = 'handed_over') = (handed_over_at IS NOT NULL)),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, project_id, department_id) REFERENCES departments (org_id, project_id, id),
  FOREIGN KEY (org_id, author_user_id) REFERENCES users (org_id, id),
  FOREIGN KEY (org_id, project_id, next_log_id) REFERENCES shift_logs (org_id, project_id, id)
);
-- One open log per project and department (the service centre's counted as one department).
CREATE UNIQUE INDEX shift_logs_one_open ON shift_logs
  (org_id, project_id, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE state = 'open';
CREATE INDEX shift_logs_recent ON shift_logs (org_id, project_id, shift_start DESC);

CREATE TABLE shift_log_entries (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  log_id        uuid NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  kind          text NOT NULL CHECK (kind IN ('note', 'open_item')),
  text          text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  case_id       uuid,
  hazard_id     uuid,  -- the hazard register's row, once that slice exists
  author        text NOT NULL,
  done_at       timestamptz,
  done_by       text,
  carried_from  uuid,
  carry_count   integer NOT NULL DEFAULT 0,  -- how many handovers the item has crossed
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  CHECK (kind = 'open_item' OR (done_at IS NULL AND carried_from IS NULL)),
  FOREIGN KEY (org_id, project_id, log_id) REFERENCES shift_logs (org_id, project_id, id),
  FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id),
  FOREIGN KEY (org_id, project_id, carried_from) REFERENCES shift_log_entries (org_id, project_id, id)
);
CREATE INDEX shift_log_entries_log ON shift_log_entries (org_id, log_id, at);
CREATE INDEX shift_log_entries_open ON shift_log_entries (org_id, project_id) WHERE kind = 'open_item' AND done_at IS NULL;

CREATE TABLE handover_acks (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  log_id      uuid NOT NULL,  -- the receiving log
  user_id     uuid NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, log_id, user_id),
  FOREIGN KEY (org_id, project_id, log_id) REFERENCES shift_logs (org_id, project_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
"""


def upgrade() -> None:
    run_script(_TABLES
               + protect("shift_logs", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("shift_log_entries", project_rule(), "SELECT, INSERT, UPDATE")
               + protect("handover_acks", project_rule(), "SELECT, INSERT"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS handover_acks, shift_log_entries, shift_logs;"
               "ALTER TABLE cases DROP COLUMN IF EXISTS reception_user_id;"
               "DROP INDEX IF EXISTS duty_shifts_reception;"
               "ALTER TABLE duty_shifts DROP COLUMN IF EXISTS kind;")
