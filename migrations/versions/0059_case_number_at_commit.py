"""A new case's number of the day is taken by COMMIT itself (issue 19 §2).

The number was taken by the unit of work's last statement, then the audit rows, the events and
COMMIT followed, each a round trip: the project's counter row stayed locked across four or five
waits on a busy event loop, and under load most of a process's connections queued on it
(`Lock:transactionid` at the counter's upsert). Now a case is inserted under its stand-in number
(`~<id>`) and a deferred constraint trigger numbers it when the transaction commits: the counter
row is locked from the trigger to the end of COMMIT, with no round trip in between. Numbers stay
gapless and unique per project and Beijing day: the counter moves inside the committing
transaction, so one that fails to commit returns its number.

`case_number_take(org, case)` is the one place the number is made (GD-<project code>-<yyyymmdd>-
<nnnn>); a use case that must know the number before it commits (a 12345 order answers the
government's platform with it) calls it in its last step, and the trigger then finds the case
numbered. The trigger also writes the number into the transaction's events of the case that
still carry the stand-in (`payload.number`), so no consumer ever sees one.

Revision ID: 0059_case_number_at_commit
Revises: 0058_gov_integration
"""

from migrations.rls import run_script
from tenants.settings import APP_ROLE, RESIDENT_ROLE

revision = "0059_case_number_at_commit"
down_revision = "0058_gov_integration"
branch_labels = None
depends_on = None

_UP = f"""
-- Runs as the owner; only the trigger below and case_number_take call it.
CREATE FUNCTION case_number_made(p_org uuid, p_case uuid) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  c record;
  n integer;
  taken text;
BEGIN
  SELECT cs.project_id, cs.received_at, cs.number, p.code INTO c
    FROM cases cs JOIN projects p ON p.org_id = cs.org_id AND p.id = cs.project_id
   WHERE cs.org_id = p_org AND cs.id = p_case;
  IF NOT FOUND OR c.number <> '~' || p_case::text THEN
    RETURN c.number;  -- numbered already, in this transaction's last step
  END IF;
  INSERT INTO case_numbers AS k (org_id, project_id, day, last)
  VALUES (p_org, c.project_id, (c.received_at AT TIME ZONE INTERVAL '+08:00')::date, 1)
  ON CONFLICT (org_id, project_id, day) DO UPDATE SET last = k.last + 1 RETURNING last INTO n;
  taken := 'GD-' || c.code || '-' || to_char(c.received_at AT TIME ZONE INTERVAL '+08:00', 'YYYYMMDD') || '-'
           || lpad(n::text, greatest(4, length(n::text)), '0');
  UPDATE cases SET number = taken WHERE org_id = p_org AND id = p_case;
  RETURN taken;
END
$$;
REVOKE ALL ON FUNCTION case_number_made(uuid, uuid) FROM PUBLIC;

-- For the application: the same, for a case of the transaction's own company only.
CREATE FUNCTION case_number_take(p_org uuid, p_case uuid) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  IF p_org IS DISTINCT FROM app_org_id() THEN
    RAISE EXCEPTION 'case_number_take: not the company of this transaction' USING ERRCODE = '42501';
  END IF;
  RETURN case_number_made(p_org, p_case);
END
$$;
REVOKE ALL ON FUNCTION case_number_take(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION case_number_take(uuid, uuid) TO {APP_ROLE}, {RESIDENT_ROLE};

CREATE FUNCTION cases_number_at_commit() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  taken text := case_number_made(NEW.org_id, NEW.id);
BEGIN
  UPDATE outbox SET payload = jsonb_set(payload, '{{number}}', to_jsonb(taken))
   WHERE org_id = NEW.org_id AND payload->>'case_id' = NEW.id::text AND payload->>'number' = '~' || NEW.id::text;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER cases_number_at_commit AFTER INSERT ON cases DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (left(NEW.number, 1) = '~') EXECUTE FUNCTION cases_number_at_commit();
"""

_DOWN = """
DROP TRIGGER IF EXISTS cases_number_at_commit ON cases;
DROP FUNCTION IF EXISTS cases_number_at_commit();
DROP FUNCTION IF EXISTS case_number_take(uuid, uuid);
DROP FUNCTION IF EXISTS case_number_made(uuid, uuid);
"""


def upgrade() -> None:
    run_script(_UP)


def downgrade() -> None:
    run_script(_DOWN)
