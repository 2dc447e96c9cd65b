"""Outside bodies (外部单位) per project and the referrals (转办) made to them.

A body is reached by signed webhook, e-mail or a printed letter; it answers through a signed
inbound endpoint (with its own secret) or staff enter what it said. A referral has its own clock:
`due_at` for the feedback, `next_check_at` for the sweep that reminds the body and then escalates
the case (reason `referral_overdue`); `referral_updates` is its history.

Revision ID: 0019
Revises: 0018
"""

from migrations.rls import project_rule, protect, run_script
from tenants.settings import APP_ROLE

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_script(f"""
CREATE TABLE outside_bodies (
  org_id          uuid NOT NULL,
  project_id      uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  kind            text NOT NULL CHECK (kind IN ('street_office', 'residents_committee', 'police_station', 'law_enforcement',
                                                'housing_bureau', 'utility', 'other')),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  contact_name    text CHECK (length(contact_name) <= 100),
  contact_phone   text CHECK (length(contact_phone) <= 40),
  address         text CHECK (length(address) <= 300),
  delivery        text NOT NULL CHECK (delivery IN ('webhook', 'email', 'letter')),
  webhook_url     text CHECK (length(webhook_url) <= 2000),
  email           text CHECK (length(email) <= 320),
  secret_enc      bytea,           -- signs what we send and what it sends back
  feedback_days   smallint NOT NULL DEFAULT 5 CHECK (feedback_days BETWEEN 1 AND 90),
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      text NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  UNIQUE (org_id, project_id, name),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  CHECK (delivery <> 'webhook' OR webhook_url IS NOT NULL),
  CHECK (delivery <> 'email' OR email IS NOT NULL)
);

CREATE TABLE referrals (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  case_id           uuid NOT NULL,
  body_id           uuid NOT NULL,
  reason            text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  requested_action  text NOT NULL CHECK (length(requested_action) BETWEEN 1 AND 2000),
  status            text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'acknowledged', 'answered', 'withdrawn')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        text NOT NULL,
  acknowledged_at   timestamptz,
  answered_at       timestamptz,
  outcome           text CHECK (length(outcome) <= 2000),
  due_at            timestamptz NOT NULL,   -- the body's feedback is due
  next_check_at     timestamptz,            -- the sweep's next look; NULL once answered or withdrawn
  reminders_sent    smallint NOT NULL DEFAULT 0,
  escalated_level   text CHECK (escalated_level IN ('l1', 'l2', 'l3')),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, body_id) REFERENCES outside_bodies (org_id, project_id, id)
);
CREATE INDEX referrals_case ON referrals (org_id, case_id, created_at);
CREATE INDEX referrals_body ON referrals (org_id, body_id, created_at);
CREATE INDEX referrals_due ON referrals (next_check_at) WHERE next_check_at IS NOT NULL;
-- One referral waiting per case: a case is referred to one body at a time.
CREATE UNIQUE INDEX referrals_one_open ON referrals (org_id, case_id) WHERE status IN ('sent', 'acknowledged');

CREATE TABLE referral_updates (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  referral_id  uuid NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('sent', 'acknowledged', 'answered', 'reminded', 'escalated',
                                             'withdrawn', 'printed')),
  via          text NOT NULL CHECK (via IN ('inbound', 'staff', 'system')),
  note         text CHECK (length(note) <= 2000),
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id, referral_id) REFERENCES referrals (org_id, project_id, id)
);
CREATE INDEX referral_updates_referral ON referral_updates (org_id, referral_id, at);

ALTER TABLE escalations DROP CONSTRAINT escalations_reason_check;
ALTER TABLE escalations ADD CONSTRAINT escalations_reason_check
  CHECK (reason IN ('timer', 'undispatchable', 'dissatisfied', 'skip_level', 'referral_overdue'));

-- What crosses the wall: a body's company and project (for its signed inbound requests), and the
-- companies with a referral due a look (for the sweep). Ids only.
CREATE FUNCTION outside_body_tenant(p_id uuid) RETURNS TABLE (org_id uuid, project_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id, project_id FROM outside_bodies WHERE id = p_id $$;
REVOKE ALL ON FUNCTION outside_body_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outside_body_tenant(uuid) TO {APP_ROLE};
CREATE FUNCTION orgs_with_referrals_due(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM referrals WHERE next_check_at <= p_now $$;
REVOKE ALL ON FUNCTION orgs_with_referrals_due(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_referrals_due(timestamptz) TO {APP_ROLE};
""" + protect("outside_bodies", project_rule(), "SELECT, INSERT, UPDATE") + protect("referrals", project_rule(), "SELECT, INSERT, UPDATE")
      + protect("referral_updates", project_rule(), "SELECT, INSERT"))


def downgrade() -> None:
    run_script("""
DROP FUNCTION IF EXISTS orgs_with_referrals_due(timestamptz), outside_body_tenant(uuid);
DELETE FROM escalations WHERE reason = 'referral_overdue';
ALTER TABLE escalations DROP CONSTRAINT escalations_reason_check;
ALTER TABLE escalations ADD CONSTRAINT escalations_reason_check
  CHECK (reason IN ('timer', 'undispatchable', 'dissatisfied', 'skip_level'));
DROP TABLE IF EXISTS referral_updates, referrals, outside_bodies;
""")
