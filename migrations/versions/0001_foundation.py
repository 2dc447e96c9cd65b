"""Foundation: organizations, projects, places, people, access, audit log and outbox.

Revision ID: 0001
Revises:
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = (
    "org_admin", "hq_supervisor", "hq_quality", "project_manager", "cs_supervisor",
    "cs_agent", "dispatcher", "technician", "staff",
)
ORG_WIDE_ROLES = ("org_admin", "hq_supervisor", "hq_quality")
DEPARTMENT_KINDS = ("customer_service", "engineering", "cleaning", "security", "greening", "quality", "admin")
PROPERTY_TYPES = ("residential", "office", "commercial", "villa", "cbd", "industrial", "mixed")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


SETTINGS_FUNCTIONS = """
-- The tenant settings, read once per statement through (SELECT fn()). An empty or missing
-- setting means nothing is visible.
CREATE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;
CREATE FUNCTION app_all_projects() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT coalesce(current_setting('app.project_ids', true), '') = '*' $$;
CREATE FUNCTION app_project_ids() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN coalesce(current_setting('app.project_ids', true), '') IN ('', '*')
              THEN '{}'::uuid[] ELSE current_setting('app.project_ids', true)::uuid[] END $$;
"""

TABLES = f"""
-- The one reference table: a slug names a company at login, so it is unique across companies.
CREATE TABLE organizations (
  org_id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{{1,62}}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
  org_id        uuid NOT NULL REFERENCES organizations (org_id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  code          text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{{0,15}}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  property_type text NOT NULL CHECK (property_type IN {_in(PROPERTY_TYPES)}),
  city          text NOT NULL DEFAULT '' CHECK (length(city) <= 100),
  address       text NOT NULL DEFAULT '' CHECK (length(address) <= 300),
  households    integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  -- Set by the worker that completes provisioning from the project.created event.
  provisioned_at timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, code)
);
CREATE INDEX projects_org_created ON projects (org_id, created_at, id);

CREATE TABLE buildings (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  floors      integer NOT NULL DEFAULT 1 CHECK (floors BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, name),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

CREATE TABLE units (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  building_id  uuid NOT NULL,
  number       text NOT NULL CHECK (length(number) BETWEEN 1 AND 50),
  floor        integer NOT NULL,
  area_m2      numeric(8, 2) CHECK (area_m2 > 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, building_id, number),
  FOREIGN KEY (org_id, project_id, building_id) REFERENCES buildings (org_id, project_id, id)
);

CREATE TABLE residents (
  org_id           uuid NOT NULL,
  project_id       uuid NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  unit_id          uuid NOT NULL,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role             text NOT NULL CHECK (role IN ('owner', 'tenant', 'family')),
  -- Personal data: AES-GCM ciphertext, a keyed hash for exact lookup, and the masked form.
  phone_enc        bytea,
  phone_hash       bytea,
  phone_masked     text,
  id_number_enc    bytea,
  id_number_hash   bytea,
  id_number_masked text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id, unit_id) REFERENCES units (org_id, project_id, id)
);
CREATE INDEX residents_unit ON residents (org_id, project_id, unit_id);
CREATE INDEX residents_phone ON residents (org_id, phone_hash);
CREATE INDEX residents_id_number ON residents (org_id, id_number_hash);

CREATE TABLE departments (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  kind        text NOT NULL CHECK (kind IN {_in(DEPARTMENT_KINDS)}),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, name),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);

-- project_id NULL: headquarters staff, visible only to an organization-wide scope.
CREATE TABLE staff (
  org_id         uuid NOT NULL REFERENCES organizations (org_id),
  project_id     uuid,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  department_id  uuid,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  title          text NOT NULL DEFAULT '' CHECK (length(title) <= 100),
  phone_enc      bytea,
  phone_hash     bytea,
  phone_masked   text,
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  CHECK (department_id IS NULL OR project_id IS NOT NULL),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, project_id, department_id) REFERENCES departments (org_id, project_id, id)
);
CREATE INDEX staff_project ON staff (org_id, project_id, department_id);

CREATE TABLE users (
  org_id         uuid NOT NULL REFERENCES organizations (org_id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  staff_id       uuid,
  username       text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{{1,63}}$'),
  display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  password_hash  text NOT NULL,
  active         boolean NOT NULL DEFAULT true,
  -- Brute-force guard: MAX_FAILED_LOGINS failures in a row lock the account for a while.
  failed_logins  integer NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, username),
  FOREIGN KEY (org_id, staff_id) REFERENCES staff (org_id, id)
);

CREATE TABLE role_assignments (
  org_id      uuid NOT NULL,
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL,
  role        text NOT NULL CHECK (role IN {_in(ROLES)}),
  project_id  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE NULLS NOT DISTINCT (org_id, user_id, role, project_id),
  -- Headquarters roles span the company; every other role belongs to one project.
  CHECK ((role IN {_in(ORG_WIDE_ROLES)}) = (project_id IS NULL)),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX role_assignments_user ON role_assignments (org_id, user_id);

CREATE TABLE api_keys (
  org_id        uuid NOT NULL REFERENCES organizations (org_id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  prefix        text NOT NULL CHECK (prefix ~ '^fc_[a-z0-9]{{10}}$'),
  secret_hash   bytea NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  project_ids   uuid[],
  access        text NOT NULL CHECK (access IN ('read', 'read_write')),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, prefix)
);
-- Authentication finds a key by its prefix before it knows the company.
CREATE INDEX api_keys_prefix ON api_keys (prefix);

CREATE TABLE refresh_tokens (
  org_id       uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL,
  family_id    uuid NOT NULL,
  secret_hash  bytea NOT NULL,
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  replaced_by  uuid,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (org_id, family_id);

-- Append-only: the application role may read and insert, never change or delete.
CREATE TABLE audit_log (
  org_id      uuid NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  project_id  uuid,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   uuid,
  from_state  text,
  to_state    text,
  note        text,
  data        jsonb NOT NULL DEFAULT '{{}}',
  event_id    uuid,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX audit_log_entity ON audit_log (org_id, entity_id, at);
CREATE INDEX audit_log_project ON audit_log (org_id, project_id, at);
-- A consumer records an event at most once.
CREATE UNIQUE INDEX audit_log_event ON audit_log (org_id, event_id, action) WHERE event_id IS NOT NULL;

CREATE TABLE outbox (
  org_id         uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id     uuid,
  topic          text NOT NULL,
  payload        jsonb NOT NULL,
  trace_context  jsonb NOT NULL DEFAULT '{{}}',
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at   timestamptz,
  attempts       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, id)
);
-- The relay works across companies, oldest first; only unpublished rows are indexed.
CREATE INDEX outbox_pending ON outbox (created_at) WHERE published_at IS NULL;
CREATE INDEX outbox_org ON outbox (org_id, project_id, created_at);

CREATE TABLE processed_events (
  org_id        uuid NOT NULL,
  consumer      text NOT NULL,
  event_id      uuid NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, consumer, event_id)
);
"""

POLICIES = (
    protect("organizations", ORG_ONLY, "SELECT")
    + protect("projects", project_rule("id"), "SELECT, INSERT, UPDATE")
    + protect("buildings", project_rule())
    + protect("units", project_rule())
    + protect("residents", project_rule())
    + protect("departments", project_rule())
    + protect("staff", project_rule())
    + protect("users", ORG_ONLY)
    + protect("role_assignments", project_rule())
    + protect("api_keys", ORG_ONLY)
    + protect("refresh_tokens", ORG_ONLY)
    + protect("audit_log", project_rule(), "SELECT, INSERT")
    + protect("outbox", project_rule(), "SELECT, INSERT")
    + protect("processed_events", ORG_ONLY, "SELECT, INSERT")
)

# The only ways across the wall. Each returns as little as it can: a company's id for a login
# slug or a key prefix, and outbox rows for the relay. Each runs as the owner role.
DEFINER_FUNCTIONS = f"""
CREATE FUNCTION org_id_for_slug(p_slug text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id FROM organizations WHERE slug = p_slug $$;

CREATE FUNCTION org_ids_for_key_prefix(p_prefix text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id FROM api_keys WHERE prefix = p_prefix $$;

-- Locks the oldest unpublished rows for the caller's transaction; other relays skip them.
CREATE FUNCTION outbox_claim(p_limit integer) RETURNS SETOF outbox
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT * FROM outbox WHERE published_at IS NULL
   ORDER BY created_at LIMIT p_limit FOR UPDATE SKIP LOCKED $$;

CREATE FUNCTION outbox_mark_published(p_org_ids uuid[], p_ids uuid[]) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ WITH done AS (
     UPDATE outbox o SET published_at = clock_timestamp(), attempts = o.attempts + 1
     FROM unnest(p_org_ids, p_ids) AS t(org_id, id)
     WHERE o.org_id = t.org_id AND o.id = t.id AND o.published_at IS NULL
     RETURNING 1)
   SELECT count(*)::integer FROM done $$;

-- Wakes relays as soon as a transaction that wrote events commits.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_notify('firstcall_outbox', ''); RETURN NULL; END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

REVOKE ALL ON FUNCTION org_id_for_slug(text), org_ids_for_key_prefix(text),
  outbox_claim(integer), outbox_mark_published(uuid[], uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION org_id_for_slug(text), org_ids_for_key_prefix(text),
  outbox_claim(integer), outbox_mark_published(uuid[], uuid[]) TO {APP_ROLE};
"""


def upgrade() -> None:
    run_script(SETTINGS_FUNCTIONS + TABLES + POLICIES + DEFINER_FUNCTIONS)


def downgrade() -> None:
    run_script(
        """
        DROP TABLE IF EXISTS processed_events, outbox, audit_log, refresh_tokens, api_keys,
          role_assignments, users, staff, departments, residents, units, buildings, projects,
          organizations CASCADE;
        DROP FUNCTION IF EXISTS app_org_id(), app_all_projects(), app_project_ids(),
          org_id_for_slug(text), org_ids_for_key_prefix(text), outbox_claim(integer),
          outbox_mark_published(uuid[], uuid[]), outbox_notify();
        """
    )
