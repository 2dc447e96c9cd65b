"""Cases: the per-company category taxonomy, cases with their numbering, written replies,
duty shifts, and idempotency keys for mutations.

Revision ID: 0002
Revises: 0001
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


KINDS = ("repair", "complaint", "inquiry", "request", "suggestion", "praise", "report")
CHANNELS = ("phone", "wechat", "app", "front_desk", "email", "walk_in", "patrol", "staff_relay", "hq_hotline", "gov_12345")
SEVERITIES = ("emergency", "major", "general")
STATES = ("received", "committed", "dispatched", "accepted", "in_progress", "resolved", "confirmed", "closed",
          "referred", "decline_requested", "declined", "cancelled", "reopened")
FINAL = ("closed", "declined", "cancelled")

# The usual categories, frozen as they were at this revision (new companies get
# domain/cases/categories.py through provisioning).
DEFAULT_CATEGORIES = (
    ("water_power", "水电"), ("doors_windows", "门窗"), ("elevator", "电梯"), ("public_area", "公共区域"),
    ("noise", "噪音"), ("parking", "停车"), ("renovation", "装修"), ("safety", "安全"),
    ("sanitation", "环境卫生"), ("greening", "绿化"), ("pets", "宠物"), ("fees", "费用"),
    ("leakage", "渗漏"), ("pests", "消杀"), ("facilities", "公共设施"), ("other", "其他"),
)

TABLES = f"""
CREATE TABLE case_categories (
  org_id      uuid NOT NULL REFERENCES organizations (org_id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  code        text NOT NULL CHECK (code ~ '^[a-z0-9_]{{1,40}}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  active      boolean NOT NULL DEFAULT true,
  sort        integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, code)
);

-- GD-<project code>-<yyyymmdd>-<nnnn>: one counter per project and day.
CREATE TABLE case_numbers (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  day         date NOT NULL,
  last        integer NOT NULL,
  PRIMARY KEY (org_id, project_id, day),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

CREATE TABLE cases (
  org_id                 uuid NOT NULL,
  project_id             uuid NOT NULL,
  id                     uuid NOT NULL,
  number                 text NOT NULL,
  kind                   text NOT NULL CHECK (kind IN {_in(KINDS)}),
  severity               text NOT NULL CHECK (severity IN {_in(SEVERITIES)}),
  channel                text NOT NULL CHECK (channel IN {_in(CHANNELS)}),
  category_id            uuid NOT NULL,
  building_id            uuid,
  unit_id                uuid,
  public_area            text CHECK (length(public_area) <= 200),
  reporter_resident_id   uuid,
  reporter_staff_id      uuid,
  first_receiver_id      uuid NOT NULL,
  description            text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
  photos                 text[] NOT NULL DEFAULT '{{}}' CHECK (cardinality(photos) <= 20),
  state                  text NOT NULL CHECK (state IN {_in(STATES)}),
  received_at            timestamptz NOT NULL,
  commitment_due         timestamptz,
  assignee_id            uuid,
  department_id          uuid,
  handler_id             uuid,
  paused_since           timestamptz,
  paused_seconds         bigint NOT NULL DEFAULT 0,
  resolved_at            timestamptz,
  confirmed_at           timestamptz,
  auto_confirmed         boolean NOT NULL DEFAULT false,
  reopen_count           integer NOT NULL DEFAULT 0,
  rework_level           smallint NOT NULL DEFAULT 1 CHECK (rework_level BETWEEN 1 AND 3),
  broken_promises        integer NOT NULL DEFAULT 0,
  repeat_of              uuid,
  decline_from           text,
  satisfaction           text CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  visit_score            smallint CHECK (visit_score BETWEEN 1 AND 5),
  visited_by             uuid,
  updated_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, number),
  UNIQUE (org_id, project_id, id),
  -- A place of another project cannot be named: the keys carry the project.
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, category_id) REFERENCES case_categories (org_id, id),
  FOREIGN KEY (org_id, project_id, building_id) REFERENCES buildings (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, department_id) REFERENCES departments (org_id, project_id, id),
  FOREIGN KEY (org_id, assignee_id) REFERENCES users (org_id, id),
  FOREIGN KEY (org_id, repeat_of) REFERENCES cases (org_id, id)
);
CREATE INDEX cases_project_recent ON cases (org_id, project_id, received_at DESC, id);
CREATE INDEX cases_project_state ON cases (org_id, project_id, state);
CREATE INDEX cases_assignee ON cases (org_id, assignee_id, state) WHERE assignee_id IS NOT NULL;
CREATE INDEX cases_open_due ON cases (org_id, project_id, commitment_due) WHERE state NOT IN {_in(FINAL)};
CREATE INDEX cases_unit ON cases (org_id, project_id, unit_id, received_at DESC) WHERE unit_id IS NOT NULL;

-- 书面答复: versioned; a new version never overwrites the old one.
CREATE TABLE written_replies (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  case_id       uuid NOT NULL,
  version       integer NOT NULL,
  reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  basis         text NOT NULL CHECK (length(basis) BETWEEN 1 AND 2000),
  alternatives  text[] NOT NULL CHECK (cardinality(alternatives) BETWEEN 1 AND 20),
  created_by    uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  delivered_at  timestamptz,
  delivered_via text,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, case_id, version),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);

-- 值班: who is on duty, per project and department; dispatch proposes them.
CREATE TABLE duty_shifts (
  org_id         uuid NOT NULL,
  project_id     uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  department_id  uuid NOT NULL,
  user_id        uuid NOT NULL,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  PRIMARY KEY (org_id, id),
  CHECK (ends_at > starts_at),
  FOREIGN KEY (org_id, project_id, department_id) REFERENCES departments (org_id, project_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
CREATE INDEX duty_shifts_now ON duty_shifts (org_id, project_id, department_id, starts_at, ends_at);

-- The first result of a mutation, replayed for the same key and input for at least 24 hours.
CREATE TABLE idempotency_keys (
  org_id        uuid NOT NULL,
  principal     text NOT NULL,
  key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  operation     text NOT NULL,
  request_hash  bytea NOT NULL,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL DEFAULT now() + interval '48 hours',
  PRIMARY KEY (org_id, principal, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (org_id, expires_at);
"""

POLICIES = (
    protect("case_categories", ORG_ONLY, "SELECT, INSERT, UPDATE")
    + protect("case_numbers", project_rule(), "SELECT, INSERT, UPDATE")
    + protect("cases", project_rule(), "SELECT, INSERT, UPDATE")
    + protect("written_replies", project_rule(), "SELECT, INSERT, UPDATE")
    + protect("duty_shifts", project_rule())
    + protect("idempotency_keys", ORG_ONLY)
)


def seed_categories_sql() -> str:
    values = ", ".join(f"('{code}', '{name}', {i})" for i, (code, name) in enumerate(DEFAULT_CATEGORIES))
    return (
        "INSERT INTO case_categories (org_id, code, name, sort) "
        f"SELECT o.org_id, v.code, v.name, v.sort FROM organizations o CROSS JOIN (VALUES {values}) AS v(code, name, sort) "
        "ON CONFLICT (org_id, code) DO NOTHING;"
    )


def upgrade() -> None:
    run_script(TABLES + POLICIES + seed_categories_sql())


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS idempotency_keys, duty_shifts, written_replies, cases, case_numbers, case_categories CASCADE;")
