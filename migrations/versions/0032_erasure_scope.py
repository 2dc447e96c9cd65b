"""Erasure, narrowed and made safe for JSON (docs/archive.md §3, 删除):

- `erase_json(jsonb, pattern)` rewrites the string values of a JSON document only. A regular
  expression run over the document's text also hit its keys and punctuation: a resident whose
  WeChat account was "case_id" renamed that key in every event of their cases (the outbox is read
  by it), and one named `": "` broke the JSON, so the erasure failed and could never be done.
- `erase_copies` names the resident and rewrites only what their erasure is for: the project must
  be the caller company's and the resident of it and already erased (the erasure marks the record
  first, in the same transaction); of the cases and alerts it is given only that resident's count.
  Before, the application role could rewrite the append-only audit notes of any case in its reach
  with any pattern it liked. The resident's own audit rows are rewritten too: staff type their
  name or number into the reason of a reveal or an export. So are the receivers' answers kept on
  each delivery attempt: a receiver refusing an event often quotes it back. The mask is given:
  ** for a two-character name, so that masking never lengthens a text past its column's limit
  (a full description naming 王芳 made the erasure fail for good).

And a personal-data export counts in the reveals' hourly limit: it opens every number of a
resident at once, and was the way round the limit. The limit's partial index covers both actions.

Revision ID: 0032_erasure_scope
Revises: 0031_archive_uploads
"""

import importlib

from migrations.rls import run_script
from tenants.settings import APP_ROLE

revision = "0032_erasure_scope"
down_revision = "0031_archive_uploads"
branch_labels = None
depends_on = None

_OLD = "erase_copies(uuid, uuid[], uuid[], text)"
_SIGNATURE = "erase_copies(uuid, uuid, uuid[], uuid[], text, text)"
_JSON = "erase_json(jsonb, text, text)"

_ERASE_JSON = r"""
CREATE FUNCTION erase_json(j jsonb, p_pattern text, p_mask text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp AS
$$
BEGIN
  RETURN CASE jsonb_typeof(j)
    WHEN 'string' THEN to_jsonb(regexp_replace(j #>> '{}', p_pattern, p_mask, 'g'))
    WHEN 'object' THEN (SELECT coalesce(jsonb_object_agg(k, erase_json(v, p_pattern, p_mask)), '{}'::jsonb)
                          FROM jsonb_each(j) AS e(k, v))
    WHEN 'array' THEN (SELECT coalesce(jsonb_agg(erase_json(v, p_pattern, p_mask) ORDER BY n), '[]'::jsonb)
                         FROM jsonb_array_elements(j) WITH ORDINALITY AS e(v, n))
    ELSE j END;
END
$$;
"""


_ERASE_COPIES = r"""
CREATE FUNCTION erase_copies(p_project uuid, p_resident uuid, p_cases uuid[], p_alerts uuid[], p_pattern text,
                             p_mask text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  o uuid := app_org_id();
  v_cases uuid[];
  v_alerts uuid[];
BEGIN
  IF o IS NULL OR NOT (app_all_projects() OR p_project = ANY (app_project_ids()))
     OR NOT EXISTS (SELECT 1 FROM projects WHERE org_id = o AND id = p_project) THEN
    RAISE EXCEPTION 'erase_copies: project out of reach' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM residents WHERE org_id = o AND project_id = p_project AND id = p_resident
                 AND erased_at IS NOT NULL) THEN
    RAISE EXCEPTION 'erase_copies: no erased resident of the project' USING ERRCODE = '42501';
  END IF;
  -- The mask is one of two (never text of the caller's choosing written into an audit row).
  IF p_mask IS NULL OR p_mask NOT IN ('***', '**') THEN
    RAISE EXCEPTION 'erase_copies: no such mask' USING ERRCODE = '42501';
  END IF;
  IF p_pattern IS NULL OR p_pattern = '' THEN
    RETURN;
  END IF;
  -- Of the cases and alerts named, only the resident's own and those about them.
  SELECT coalesce(array_agg(id), '{}') INTO v_cases FROM cases
   WHERE org_id = o AND project_id = p_project AND id = ANY (p_cases) AND reporter_resident_id = p_resident;
  SELECT coalesce(array_agg(id), '{}') INTO v_alerts FROM alerts
   WHERE org_id = o AND project_id = p_project AND id = ANY (p_alerts)
     AND (case_ids && v_cases OR scope_key = 'resident:' || p_resident::text);
  -- The resident's own rows too: the reasons staff gave for revealing or exporting their data.
  UPDATE audit_log SET note = regexp_replace(note, p_pattern, p_mask, 'g'), data = erase_json(data, p_pattern, p_mask)
   WHERE org_id = o AND project_id = p_project AND entity_id = ANY (v_cases || v_alerts || p_resident)
     AND (note ~ p_pattern OR data::text ~ p_pattern);
  -- Apart, so that the cases' events are found through the index outbox_case.
  UPDATE outbox SET payload = erase_json(payload, p_pattern, p_mask)
   WHERE org_id = o AND payload ->> 'case_id' = ANY (v_cases::text[]) AND project_id = p_project
     AND payload::text ~ p_pattern;
  UPDATE outbox SET payload = erase_json(payload, p_pattern, p_mask)
   WHERE org_id = o AND project_id = p_project AND topic LIKE 'alert.%'
     AND payload ->> 'alert_id' = ANY (v_alerts::text[]) AND payload::text ~ p_pattern;
  -- A receiver's answer, kept on each attempt, may quote the event it refused.
  UPDATE delivery_attempts SET error = regexp_replace(error, p_pattern, p_mask, 'g')
   WHERE org_id = o AND error ~ p_pattern AND delivery_id IN (
     SELECT id FROM deliveries WHERE org_id = o AND project_id = p_project AND (
       event_id IN (SELECT id FROM outbox WHERE org_id = o AND payload ->> 'case_id' = ANY (v_cases::text[])
                    UNION ALL SELECT id FROM outbox WHERE org_id = o AND project_id = p_project AND topic LIKE 'alert.%'
                      AND payload ->> 'alert_id' = ANY (v_alerts::text[]))
       OR ref_id IN (SELECT id FROM referrals WHERE org_id = o AND case_id = ANY (v_cases))
       OR ref_id IN (SELECT id FROM gov_orders WHERE org_id = o AND case_id = ANY (v_cases))));
  UPDATE written_reply_deliveries SET recipient = regexp_replace(recipient, p_pattern, p_mask, 'g'),
                                      note = regexp_replace(note, p_pattern, p_mask, 'g')
   WHERE org_id = o AND project_id = p_project
     AND reply_id IN (SELECT id FROM written_replies WHERE org_id = o AND case_id = ANY (v_cases))
     AND (recipient ~ p_pattern OR note ~ p_pattern);
  UPDATE referral_updates SET note = regexp_replace(note, p_pattern, p_mask, 'g')
   WHERE org_id = o AND project_id = p_project
     AND referral_id IN (SELECT id FROM referrals WHERE org_id = o AND case_id = ANY (v_cases))
     AND note ~ p_pattern;
END
$$;
"""


# A personal-data export counts in the reveals' hourly limit (domain/archive/reveal_repository.py).
_REVEALS_INDEX = """
DROP INDEX audit_log_reveals;
CREATE INDEX audit_log_reveals ON audit_log (org_id, actor, at) WHERE action IN ({actions});
"""


def upgrade() -> None:
    run_script(_REVEALS_INDEX.format(actions="'personal_data.revealed', 'personal_data.exported'") + _ERASE_JSON + f"""
REVOKE ALL ON FUNCTION {_JSON} FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {_JSON} TO {APP_ROLE};
DROP FUNCTION {_OLD};
""" + _ERASE_COPIES + f"""
REVOKE ALL ON FUNCTION {_SIGNATURE} FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {_SIGNATURE} TO {APP_ROLE};
""")


def downgrade() -> None:
    run_script(f"DROP FUNCTION IF EXISTS {_SIGNATURE}; DROP FUNCTION IF EXISTS {_JSON};"
               + _REVEALS_INDEX.format(actions="'personal_data.revealed'"))
    importlib.import_module("migrations.versions.0028_erasure").upgrade()
