"""Call records (话务记录), docs/centre-day.md §8.

A telephony integration (one per project, like a payment integration) posts each call after it
ends, signed with its own secret; `telephony_integration_tenant` tells the signed inbound path
which company and project an integration id belongs to, ids only. A call keeps the caller's phone
only as the company's keyed lookup hash and a mask, never the number.

There is no `kpi_calls_day` rollup: the day figures are one indexed aggregate over the project's
calls of the window (`call_records_project`), exact the moment a call arrives or is linked, with
no consumer to keep in step and nothing to rebuild.

Revision ID: 0047_calls
Revises: 0046_handover
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0047_calls"
down_revision = "0046_handover"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE TABLE telephony_integrations (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  secret_enc    bytea NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  ring_seconds  smallint NOT NULL DEFAULT 5 CHECK (ring_seconds BETWEEN 1 AND 60),  -- one ring, for 三声接听
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX telephony_integrations_project ON telephony_integrations (org_id, project_id, created_at);

CREATE TABLE call_records (
  org_id               uuid NOT NULL,
  project_id           uuid NOT NULL,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  integration_id       uuid NOT NULL,
  external_id          text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
  direction            text NOT NULL CHECK (direction IN ('in', 'out')),
  caller_phone_hash    bytea NOT NULL,
  caller_phone_masked  text NOT NULL,
  queued_at            timestamptz NOT NULL,
  answered_at          timestamptz CHECK (answered_at >= queued_at),
  ended_at             timestamptz NOT NULL CHECK (ended_at >= queued_at),
  abandoned            boolean NOT NULL,
  agent_user_id        uuid,
  case_id              uuid,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, integration_id, external_id),
  CHECK (abandoned = (answered_at IS NULL)),
  FOREIGN KEY (org_id, project_id, integration_id) REFERENCES telephony_integrations (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id),
  FOREIGN KEY (org_id, agent_user_id) REFERENCES users (org_id, id)
);
CREATE INDEX call_records_project ON call_records (org_id, project_id, queued_at);
CREATE INDEX call_records_case ON call_records (org_id, case_id) WHERE case_id IS NOT NULL;

CREATE FUNCTION telephony_integration_tenant(p_id uuid) RETURNS TABLE (org_id uuid, project_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id, project_id FROM telephony_integrations WHERE id = p_id $$;
REVOKE ALL ON FUNCTION telephony_integration_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION telephony_integration_tenant(uuid) TO {APP_ROLE};
""" + protect("telephony_integrations", project_rule(), "SELECT, INSERT, UPDATE")
        + protect("call_records", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("""
DROP FUNCTION IF EXISTS telephony_integration_tenant(uuid);
DROP TABLE IF EXISTS call_records;
DROP TABLE IF EXISTS telephony_integrations;
""")
