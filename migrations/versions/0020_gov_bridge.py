"""The 12345 bridge: a government hotline's orders (工单) arriving for a project, each becoming a
`gov_12345` case with the government's deadlines, and answered back through the bridge.

A bridge belongs to one project and names its city; a company may set each city's deadlines per
urgency (`gov_city_deadlines`; absent rows mean the defaults of DESIGN §4). `gov_orders` keeps
the government's side of each order — its number, category, deadlines, requester, what we
answered and when, and the government's evaluation — beside the case that does the work.

Revision ID: 0020
Revises: 0019
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE TABLE gov_city_deadlines (
  org_id            uuid NOT NULL REFERENCES organizations (org_id),
  city              text NOT NULL CHECK (length(city) BETWEEN 1 AND 50),
  urgency           text NOT NULL CHECK (urgency IN ('urgent', 'day', 'general', 'complex')),
  response_minutes  integer NOT NULL CHECK (response_minutes BETWEEN 1 AND 525600),
  resolve_minutes   integer NOT NULL CHECK (resolve_minutes BETWEEN 1 AND 525600),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, city, urgency),
  CHECK (response_minutes <= resolve_minutes)
);

CREATE TABLE gov_bridges (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  city          text NOT NULL CHECK (length(city) BETWEEN 1 AND 50),
  callback_url  text NOT NULL CHECK (length(callback_url) BETWEEN 8 AND 2000),
  secret_enc    bytea NOT NULL,       -- signs both ways
  receiver_id   uuid NOT NULL,        -- 首问: the staff member its orders are registered by
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, receiver_id) REFERENCES users (org_id, id)
);

CREATE TABLE gov_orders (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  bridge_id         uuid NOT NULL,
  case_id           uuid NOT NULL,
  order_number      text NOT NULL CHECK (length(order_number) BETWEEN 1 AND 64),
  category          text NOT NULL CHECK (length(category) BETWEEN 1 AND 100),
  urgency           text NOT NULL CHECK (urgency IN ('urgent', 'day', 'general', 'complex')),
  content           text NOT NULL CHECK (length(content) BETWEEN 1 AND 5000),
  address           text CHECK (length(address) <= 300),
  requester_name    text CHECK (length(requester_name) <= 100),
  requester_phone_enc    bytea,
  requester_phone_masked text CHECK (length(requester_phone_masked) <= 40),
  received_at       timestamptz NOT NULL,
  response_due      timestamptz NOT NULL,
  resolve_due       timestamptz NOT NULL,
  status            text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'responded', 'answered', 'returned')),
  responded_at      timestamptz,          -- first answer back (签收 / progress)
  answered_at       timestamptz,          -- the result or the return
  result            text CHECK (length(result) <= 2000),
  returned_reason   text CHECK (length(returned_reason) <= 2000),
  returned_body_id  uuid,                 -- the outside body whose remit it is, when we know it
  evaluation        text CHECK (evaluation IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  evaluated_at      timestamptz,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, bridge_id, order_number),
  UNIQUE (org_id, case_id),
  FOREIGN KEY (org_id, project_id, bridge_id) REFERENCES gov_bridges (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, returned_body_id) REFERENCES outside_bodies (org_id, project_id, id)
);
CREATE INDEX gov_orders_received ON gov_orders (org_id, project_id, received_at);

CREATE FUNCTION gov_bridge_tenant(p_id uuid) RETURNS TABLE (org_id uuid, project_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id, project_id FROM gov_bridges WHERE id = p_id $$;
REVOKE ALL ON FUNCTION gov_bridge_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gov_bridge_tenant(uuid) TO {APP_ROLE};
""" + protect("gov_city_deadlines", ORG_ONLY) + protect("gov_bridges", project_rule(), "SELECT, INSERT, UPDATE")
      + protect("gov_orders", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("""
DROP FUNCTION IF EXISTS gov_bridge_tenant(uuid);
DROP TABLE IF EXISTS gov_orders, gov_bridges, gov_city_deadlines;
""")
