"""Erasure, narrowed and made safe for JSON (docs/archive.md §3, 删除):

- `erase_json(jsonb, pattern)` rewrites the string values of a JSON document only. A regular
  expression run over the document's text also hit its keys and punctuation: a resident whose
  WeChat account was "case_id" renamed that key in every event of their cases (the outbox is read
  by it), and one named `": "` broke the JSON, so the erasure failed and could never be done.
- `erase_copies` rewrites only what an erasure is for: the project must be the caller company's,
  and of the cases and alerts it is given only those of a resident already erased count (the
  erasure marks the record first, in the same transaction). Before, the application role could
  rewrite the append-only audit notes of any case in its reach with any pattern it liked.

Revision ID: 0029_erasure_scope
Revises: 0028_erasure
"""

from migrations.rls import run_script
from tenants.settings import APP_ROLE

revision = "0029_erasure_scope"
down_revision = "0028_erasure"
branch_labels = None
depends_on = None

_SIGNATURE = "erase_copies(uuid, uuid[], uuid[], text)"
_JSON = "erase_json(jsonb, text)"

_ERASE_JSON = r"""
CREATE FUNCTION erase_json(j jsonb, p_pattern text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = public, pg_temp AS
$$
BEGIN
  RETURN CASE jsonb_typeof(j)
    WHEN 'string' THEN to_jsonb(regexp_replace(j #>> '{}', p_pattern, '***', 'g'))
    WHEN 'object' THEN (SELECT coalesce(jsonb_object_agg(k, erase_json(v, p_pattern)), '{}'::jsonb) FROM jsonb_each(j) AS e(k, v))
    WHEN 'array' THEN (SELECT coalesce(jsonb_agg(erase_json(v, p_pattern) ORDER BY n), '[]'::jsonb)
                         FROM jsonb_array_elements(j) WITH ORDINALITY AS e(v, n))
    ELSE j END;
END
$$;
"""


def _erase_copies(json_rewrite: str, scoped: bool) -> str:
    """The function's text; `json_rewrite` turns (column, pattern) into the new jsonb, and
    `scoped` narrows the cases and alerts to an erased resident's of a project of the company."""
    if scoped:
        narrow = """
  IF NOT EXISTS (SELECT 1 FROM projects WHERE org_id = o AND id = p_project) THEN
    RAISE EXCEPTION 'erase_copies: project out of reach' USING ERRCODE = '42501';
  END IF;
  -- Only an erased resident's cases, and the alerts about them or about that resident.
  SELECT coalesce(array_agg(c.id), '{}') INTO v_cases FROM cases c
    JOIN residents r ON r.org_id = c.org_id AND r.id = c.reporter_resident_id
   WHERE c.org_id = o AND c.project_id = p_project AND c.id = ANY (p_cases) AND r.erased_at IS NOT NULL;
  SELECT coalesce(array_agg(a.id), '{}') INTO v_alerts FROM alerts a
   WHERE a.org_id = o AND a.project_id = p_project AND a.id = ANY (p_alerts)
     AND (a.case_ids && v_cases OR EXISTS (
       SELECT 1 FROM residents r WHERE r.org_id = o AND r.project_id = p_project AND r.erased_at IS NOT NULL
          AND a.scope_key = 'resident:' || r.id::text));"""
        declare = "  v_cases uuid[];\n  v_alerts uuid[];\n"
    else:
        narrow = "\n  v_cases := p_cases;\n  v_alerts := p_alerts;"
        declare = "  v_cases uuid[];\n  v_alerts uuid[];\n"
    return f"""
CREATE OR REPLACE FUNCTION erase_copies(p_project uuid, p_cases uuid[], p_alerts uuid[], p_pattern text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  o uuid := app_org_id();
{declare}BEGIN
  IF o IS NULL OR NOT (app_all_projects() OR p_project = ANY (app_project_ids())) THEN
    RAISE EXCEPTION 'erase_copies: project out of reach' USING ERRCODE = '42501';
  END IF;
  IF p_pattern IS NULL OR p_pattern = '' THEN
    RETURN;
  END IF;{narrow}
  UPDATE audit_log SET note = regexp_replace(note, p_pattern, '***', 'g'),
                       data = {json_rewrite.format(column="data")}
   WHERE org_id = o AND project_id = p_project AND entity_id = ANY (v_cases || v_alerts)
     AND (note ~ p_pattern OR data::text ~ p_pattern);
  -- Apart, so that the cases' events are found through the index outbox_case.
  UPDATE outbox SET payload = {json_rewrite.format(column="payload")}
   WHERE org_id = o AND payload ->> 'case_id' = ANY (v_cases::text[]) AND project_id = p_project
     AND payload::text ~ p_pattern;
  UPDATE outbox SET payload = {json_rewrite.format(column="payload")}
   WHERE org_id = o AND project_id = p_project AND topic LIKE 'alert.%'
     AND payload ->> 'alert_id' = ANY (v_alerts::text[]) AND payload::text ~ p_pattern;
  UPDATE written_reply_deliveries SET recipient = regexp_replace(recipient, p_pattern, '***', 'g'),
                                      note = regexp_replace(note, p_pattern, '***', 'g')
   WHERE org_id = o AND project_id = p_project
     AND reply_id IN (SELECT id FROM written_replies WHERE org_id = o AND case_id = ANY (v_cases))
     AND (recipient ~ p_pattern OR note ~ p_pattern);
  UPDATE referral_updates SET note = regexp_replace(note, p_pattern, '***', 'g')
   WHERE org_id = o AND project_id = p_project
     AND referral_id IN (SELECT id FROM referrals WHERE org_id = o AND case_id = ANY (v_cases))
     AND note ~ p_pattern;
END
$$;
"""


def upgrade() -> None:
    run_script(_ERASE_JSON + f"""
REVOKE ALL ON FUNCTION {_JSON} FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {_JSON} TO {APP_ROLE};
""" + _erase_copies("erase_json({column}, p_pattern)", scoped=True))


def downgrade() -> None:
    run_script(_erase_copies("regexp_replace({column}::text, p_pattern, '***', 'g')::jsonb", scoped=False)
               + f"DROP FUNCTION IF EXISTS {_JSON};")
