"""Erasure on request (PIPL 删除, docs/archive.md §3): the copies of a resident's name or phone in
rows the application role may only append to — audit notes and data of their cases, the outbox
payloads about their cases and alerts, the recipients of their written replies, the notes of their
cases' referrals — are rewritten to *** by one SECURITY DEFINER function. The role gets no UPDATE
on those tables: the function touches only rows of the caller's company and a project in its
reach, and only the text the pattern matches.

Revision ID: 0028_erasure
Revises: 0027_archive
"""

from migrations.rls import run_script
from tenants.settings import APP_ROLE

revision = "0028_erasure"
down_revision = "0027_archive"
branch_labels = None
depends_on = None

_SIGNATURE = "erase_copies(uuid, uuid[], uuid[], text)"


def upgrade() -> None:
    run_script(f"""
CREATE FUNCTION erase_copies(p_project uuid, p_cases uuid[], p_alerts uuid[], p_pattern text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  o uuid := app_org_id();
BEGIN
  IF o IS NULL OR NOT (app_all_projects() OR p_project = ANY (app_project_ids())) THEN
    RAISE EXCEPTION 'erase_copies: project out of reach' USING ERRCODE = '42501';
  END IF;
  IF p_pattern IS NULL OR p_pattern = '' THEN
    RETURN;
  END IF;
  UPDATE audit_log SET note = regexp_replace(note, p_pattern, '***', 'g'),
                       data = regexp_replace(data::text, p_pattern, '***', 'g')::jsonb
   WHERE org_id = o AND project_id = p_project AND entity_id = ANY (p_cases || p_alerts)
     AND (note ~ p_pattern OR data::text ~ p_pattern);
  -- Apart, so that the cases' events are found through the index outbox_case.
  UPDATE outbox SET payload = regexp_replace(payload::text, p_pattern, '***', 'g')::jsonb
   WHERE org_id = o AND payload ->> 'case_id' = ANY (p_cases::text[]) AND project_id = p_project
     AND payload::text ~ p_pattern;
  UPDATE outbox SET payload = regexp_replace(payload::text, p_pattern, '***', 'g')::jsonb
   WHERE org_id = o AND project_id = p_project AND topic LIKE 'alert.%'
     AND payload ->> 'alert_id' = ANY (p_alerts::text[]) AND payload::text ~ p_pattern;
  UPDATE written_reply_deliveries SET recipient = regexp_replace(recipient, p_pattern, '***', 'g'),
                                      note = regexp_replace(note, p_pattern, '***', 'g')
   WHERE org_id = o AND project_id = p_project
     AND reply_id IN (SELECT id FROM written_replies WHERE org_id = o AND case_id = ANY (p_cases))
     AND (recipient ~ p_pattern OR note ~ p_pattern);
  UPDATE referral_updates SET note = regexp_replace(note, p_pattern, '***', 'g')
   WHERE org_id = o AND project_id = p_project
     AND referral_id IN (SELECT id FROM referrals WHERE org_id = o AND case_id = ANY (p_cases))
     AND note ~ p_pattern;
END
$$;
REVOKE ALL ON FUNCTION {_SIGNATURE} FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {_SIGNATURE} TO {APP_ROLE};
""")


def downgrade() -> None:
    run_script(f"DROP FUNCTION IF EXISTS {_SIGNATURE};")
