"""Resident access (docs/resident-services.md §2–3): owner-app tokens run as the role
`firstcall_resident` (created by migrations/runner.py), whose policies name the person — their
own profile, their current flats, their flat's cases since they moved in and the cases they
reported — instead of a project set. A table without a grant here is closed to residents.
Also: the WeChat identities bound to residents, the per-resident rate-limit windows, how a
return visit was made (`cases.visit_channel`) and whether a project lets residents rate.

Revision ID: 0033_resident_access
Revises: 0032_erasure_scope
"""

from migrations.rls import ORG_ONLY, RESIDENT_PROJECT, protect, protect_for_resident, project_rule, run_script
from tenants.settings import APP_ROLE, RESIDENT_ROLE

revision = "0033_resident_access"
down_revision = "0032_erasure_scope"
branch_labels = None
depends_on = None

_FUNCTIONS = """
CREATE FUNCTION app_resident_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT nullif(current_setting('app.resident_id', true), '')::uuid $$;
-- The resident's current flats and since when they are theirs (Beijing midnight of the move-in;
-- -infinity when the move-in is unknown). Read under the resident's own policies.
CREATE FUNCTION resident_stays() RETURNS TABLE (unit_id uuid, building_id uuid, since timestamptz)
LANGUAGE sql STABLE AS
$$ SELECT o.unit_id, u.building_id,
          coalesce((o.moved_in_on::timestamp AT TIME ZONE 'Asia/Shanghai'), '-infinity')
   FROM occupancies o JOIN units u ON u.org_id = o.org_id AND u.id = o.unit_id
   WHERE o.resident_id = app_resident_id() AND o.moved_out_on IS NULL $$;
"""

_TABLES = """
CREATE TABLE resident_identities (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  resident_id   uuid NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('wechat_openid', 'wechat_unionid')),
  app_id        text NOT NULL DEFAULT '' CHECK (length(app_id) <= 64),
  value_hash    bytea NOT NULL,
  bound_by      uuid NOT NULL,
  bound_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT date_trunc('minute', now()),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, resident_id) REFERENCES residents (org_id, project_id, id)
);
CREATE UNIQUE INDEX resident_identities_natural
  ON resident_identities (org_id, project_id, kind, app_id, value_hash, resident_id);
CREATE INDEX resident_identities_value ON resident_identities (org_id, value_hash);
CREATE INDEX resident_identities_resident ON resident_identities (org_id, project_id, resident_id);

-- Counted actions per window: a resident's requests and mutations (resident_id), and the
-- exchange's per-key and per-identity limits (subject_hash).
CREATE TABLE resident_quota (
  org_id        uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  resident_id   uuid,
  subject_hash  bytea,
  bucket        text NOT NULL CHECK (length(bucket) BETWEEN 1 AND 40),
  window_start  timestamptz NOT NULL,
  used          integer NOT NULL DEFAULT 1,
  PRIMARY KEY (org_id, id),
  CHECK ((resident_id IS NULL) <> (subject_hash IS NULL))
);
CREATE UNIQUE INDEX resident_quota_resident ON resident_quota (org_id, resident_id, bucket, window_start)
  WHERE resident_id IS NOT NULL;
CREATE UNIQUE INDEX resident_quota_subject ON resident_quota (org_id, subject_hash, bucket, window_start)
  WHERE subject_hash IS NOT NULL;
CREATE INDEX resident_quota_window ON resident_quota (org_id, window_start);

ALTER TABLE cases ADD COLUMN visit_channel text NOT NULL DEFAULT 'staff' CHECK (visit_channel IN ('staff', 'resident'));
ALTER TABLE projects ADD COLUMN resident_rating boolean NOT NULL DEFAULT true;
"""

_ME = "(SELECT app_resident_id())"
_ACTOR = "current_setting('app.actor', true)"
_STAYS = "resident_stays()"
_CASE = (f"{RESIDENT_PROJECT} AND (reporter_resident_id = {_ME} OR EXISTS (SELECT 1 FROM {_STAYS} s "
         "WHERE s.unit_id = cases.unit_id AND cases.received_at >= s.since))")
_NEW_CASE = (f"{RESIDENT_PROJECT} AND reporter_resident_id = {_ME} "
             f"AND (unit_id IS NULL OR unit_id IN (SELECT unit_id FROM {_STAYS}))")
# Under the cases policy itself: only the resident's cases are found.
_MINE = f"{RESIDENT_PROJECT} AND case_id IN (SELECT id FROM cases)"
_SLA_POLICIES = ("org_id = (SELECT app_org_id()) AND (project_id IS NULL "
                 "OR project_id = ANY ((SELECT app_project_ids())::uuid[]))")
_UNITS = (f"{RESIDENT_PROJECT} AND EXISTS (SELECT 1 FROM occupancies o WHERE o.org_id = units.org_id "
          f"AND o.unit_id = units.id AND o.resident_id = {_ME} AND o.moved_out_on IS NULL)")

_RESIDENT_GRANTS = (
    protect_for_resident("projects", {"SELECT": "org_id = (SELECT app_org_id()) AND id = ANY ((SELECT app_project_ids())::uuid[])"})
    + protect_for_resident("buildings", {"SELECT": RESIDENT_PROJECT}, "org_id, project_id, id, name")
    + protect_for_resident("departments", {"SELECT": RESIDENT_PROJECT}, "org_id, project_id, id, name, kind")
    + protect_for_resident("units", {"SELECT": _UNITS})
    + protect_for_resident("residents", {"SELECT": f"{RESIDENT_PROJECT} AND id = {_ME} AND erased_at IS NULL"},
                           "org_id, project_id, id, name, kind, phone_masked, erased_at")
    + protect_for_resident("occupancies", {"SELECT": f"{RESIDENT_PROJECT} AND resident_id = {_ME}"})
    + protect_for_resident("case_categories", {"SELECT": ORG_ONLY})
    + protect_for_resident("sla_policies", {"SELECT": _SLA_POLICIES})
    + protect_for_resident("sla_ladders", {"SELECT": ORG_ONLY})
    + protect_for_resident("calendar_days", {"SELECT": ORG_ONLY})
    + protect_for_resident("calendar_gaps", {"SELECT": ORG_ONLY, "INSERT": ORG_ONLY})
    + protect_for_resident("cases", {"SELECT": _CASE, "INSERT": _NEW_CASE, "UPDATE": _CASE})
    + protect_for_resident("case_numbers", {"SELECT": RESIDENT_PROJECT, "INSERT": RESIDENT_PROJECT, "UPDATE": RESIDENT_PROJECT})
    + protect_for_resident("case_targets", {"SELECT": _MINE, "INSERT": _MINE, "UPDATE": _MINE})
    # A transition drops the clocks it stops (domain/sla/repository.py).
    + protect_for_resident("sla_timers", {"SELECT": _MINE, "INSERT": _MINE, "UPDATE": _MINE, "DELETE": _MINE})
    + protect_for_resident("escalations", {"SELECT": _MINE, "INSERT": _MINE})
    + protect_for_resident("written_replies", {"SELECT": _MINE})
    + protect_for_resident("audit_log", {
        "SELECT": f"{RESIDENT_PROJECT} AND (actor = {_ACTOR} OR (entity = 'case' AND entity_id IN (SELECT id FROM cases)))",
        "INSERT": f"{RESIDENT_PROJECT} AND actor = {_ACTOR}"})
    + protect_for_resident("outbox", {"INSERT": RESIDENT_PROJECT})
    + protect_for_resident("idempotency_keys", {
        "SELECT": f"{ORG_ONLY} AND principal = {_ACTOR}", "INSERT": f"{ORG_ONLY} AND principal = {_ACTOR}",
        "UPDATE": f"{ORG_ONLY} AND principal = {_ACTOR}"})
    + protect_for_resident("users", {
        "SELECT": f"{ORG_ONLY} AND id IN (SELECT assignee_id FROM cases UNION SELECT handler_id FROM cases)"},
        "org_id, id, display_name")
    + protect_for_resident("resident_identities", {"SELECT": f"{RESIDENT_PROJECT} AND resident_id = {_ME}"})
    + protect_for_resident("resident_quota", {
        "SELECT": f"{ORG_ONLY} AND resident_id = {_ME}", "INSERT": f"{ORG_ONLY} AND resident_id = {_ME}",
        "UPDATE": f"{ORG_ONLY} AND resident_id = {_ME}"})
)

# Every table above, for the downgrade.
_GRANTED = ("projects", "buildings", "departments", "units", "residents", "occupancies", "case_categories", "sla_policies",
            "sla_ladders", "calendar_days", "calendar_gaps", "cases", "case_numbers", "case_targets", "sla_timers",
            "escalations", "written_replies", "audit_log", "outbox", "idempotency_keys", "users")


# A dissatisfied rating escalates; the escalation names its recipients through this function,
# which runs as its owner and answers only for the caller's company (0006).
_EXECUTE = f"GRANT EXECUTE ON FUNCTION tenant_escalation_recipients(uuid, uuid, text) TO {RESIDENT_ROLE};\n"
# The hourly clean-up finds the companies with old windows outside any wall: company ids only.
_FINDER = f"""
CREATE FUNCTION orgs_with_resident_quota(p_before timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT org_id FROM resident_quota WHERE window_start < p_before $$;
REVOKE ALL ON FUNCTION orgs_with_resident_quota(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_resident_quota(timestamptz) TO {APP_ROLE};
"""


def upgrade() -> None:
    run_script(
        _FUNCTIONS + _TABLES
        + protect("resident_identities", project_rule())
        + protect("resident_quota", ORG_ONLY)
        + _RESIDENT_GRANTS + _EXECUTE + _FINDER
    )


def downgrade() -> None:
    drops = []
    for table in _GRANTED:
        for command in ("select", "insert", "update", "delete"):
            drops.append(f"DROP POLICY IF EXISTS resident_wall_{command} ON {table};")
        drops.append(f"REVOKE ALL ON {table} FROM {RESIDENT_ROLE};")
    drops.append(f"REVOKE EXECUTE ON FUNCTION tenant_escalation_recipients(uuid, uuid, text) FROM {RESIDENT_ROLE};")
    run_script("\n".join(drops) + """
DROP FUNCTION orgs_with_resident_quota(timestamptz);
DROP TABLE resident_quota, resident_identities;
ALTER TABLE cases DROP COLUMN visit_channel;
ALTER TABLE projects DROP COLUMN resident_rating;
DROP FUNCTION resident_stays(), app_resident_id();
""")
