"""Payments arriving from a payment integrator (docs/resident-services.md §6.4): one row per
integration, walled by project, with its own signing secret (encrypted), and a SECURITY DEFINER
finder that tells the signed inbound path which company and project an integration id belongs to
— ids only, nothing else crosses the wall.

`payments` already carries what an integrator's payment needs (0034: `kind`, `refund_of`,
`source`, `integration_id`, `external_id`, `problem`, and the unique index on the integrator's
transaction id); here they get their foreign keys and the rules that tie them together, and
refunds an index to find them by the payment they return.

Revision ID: 0038_fee_payments
Revises: 0037_fee_resident
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0038_fee_payments"
down_revision = "0037_fee_resident"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE TABLE payment_integrations (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  secret_enc    bytea NOT NULL,       -- the integrator signs its notifications with it
  active        boolean NOT NULL DEFAULT true,
  last_used_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX payment_integrations_project ON payment_integrations (org_id, project_id, created_at);

ALTER TABLE payments
  ADD FOREIGN KEY (org_id, project_id, integration_id) REFERENCES payment_integrations (org_id, project_id, id),
  ADD FOREIGN KEY (org_id, project_id, refund_of) REFERENCES payments (org_id, project_id, id),
  ADD CONSTRAINT payments_refund_of CHECK ((kind = 'refund') = (refund_of IS NOT NULL)),
  ADD CONSTRAINT payments_integration CHECK ((source = 'integration') = (integration_id IS NOT NULL)
                                             AND (external_id IS NULL OR integration_id IS NOT NULL));
CREATE INDEX payments_refunds ON payments (org_id, refund_of) WHERE refund_of IS NOT NULL;

CREATE FUNCTION payment_integration_tenant(p_id uuid) RETURNS TABLE (org_id uuid, project_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id, project_id FROM payment_integrations WHERE id = p_id $$;
REVOKE ALL ON FUNCTION payment_integration_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION payment_integration_tenant(uuid) TO {APP_ROLE};
""" + protect("payment_integrations", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("""
DROP FUNCTION IF EXISTS payment_integration_tenant(uuid);
DROP INDEX IF EXISTS payments_refunds;
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_refund_of, DROP CONSTRAINT IF EXISTS payments_integration,
  DROP CONSTRAINT IF EXISTS payments_org_id_project_id_integration_id_fkey,
  DROP CONSTRAINT IF EXISTS payments_org_id_project_id_refund_of_fkey;
DROP TABLE IF EXISTS payment_integrations;
""")
