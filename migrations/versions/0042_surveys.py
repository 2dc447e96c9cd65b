"""Satisfaction surveys (满意度调查), docs/resident-services.md §7: the company's questionnaires with
their questions and options (company-level, like case categories and inspection checklists, so
scores of different projects compare), and a project's campaigns — the flats sampled at opening,
one response per sampled flat, an answer per question.

Residents (§7.4): an open campaign with a sample of one of their flats, that sample, the
campaign's questionnaire, questions and options; their flats' responses and answers, read and
written. Never the campaign's score or counts (columns not granted), nor anyone else's answers.

The evaluation (§7.3): `kpi_weights.survey`, and a closed campaign is a change of its month's evaluation.

Revision ID: 0042_surveys
Revises: 0041_fee_import
"""

from migrations.rls import ORG_ONLY, RESIDENT_PROJECT, project_rule, protect, protect_for_resident, resident_unit_rule, run_script
from tenants.settings import APP_ROLE

revision = "0042_surveys"
down_revision = "0041_fee_import"
branch_labels = None
depends_on = None

DIMENSIONS = "('customer_service', 'engineering', 'cleaning', 'security', 'greening', 'overall')"

_TABLES = f"""
CREATE TABLE survey_questionnaires (
  org_id      uuid NOT NULL REFERENCES organizations (org_id),
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  intro       text NOT NULL DEFAULT '' CHECK (length(intro) <= 2000),
  active      boolean NOT NULL DEFAULT true,
  used_at     timestamptz,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, title)
);

CREATE TABLE survey_questions (
  org_id            uuid NOT NULL,
  questionnaire_id  uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  position          integer NOT NULL CHECK (position BETWEEN 1 AND 50),
  kind              text NOT NULL CHECK (kind IN ('rating', 'single', 'multiple', 'text')),
  text              text NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
  required          boolean NOT NULL DEFAULT true,
  dimension         text CHECK (dimension IN {DIMENSIONS}),
  weight            smallint NOT NULL DEFAULT 0 CHECK (weight BETWEEN 0 AND 100),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, questionnaire_id, position),
  UNIQUE (org_id, questionnaire_id, id),
  -- Multiple choice and text are not scored (§7.2).
  CHECK (weight = 0 OR kind IN ('rating', 'single')),
  FOREIGN KEY (org_id, questionnaire_id) REFERENCES survey_questionnaires (org_id, id)
);

CREATE TABLE survey_options (
  org_id       uuid NOT NULL,
  question_id  uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  position     integer NOT NULL CHECK (position BETWEEN 1 AND 20),
  label        text NOT NULL CHECK (length(label) BETWEEN 1 AND 50),
  score        smallint NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, question_id, position),
  FOREIGN KEY (org_id, question_id) REFERENCES survey_questions (org_id, id)
);

CREATE TABLE survey_campaigns (
  org_id            uuid NOT NULL,
  project_id        uuid NOT NULL,
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  questionnaire_id  uuid NOT NULL,
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  opens_at          timestamptz NOT NULL,
  closes_at         timestamptz NOT NULL,
  sample_mode       text NOT NULL CHECK (sample_mode IN ('all', 'percent', 'count')),
  sample_value      integer NOT NULL DEFAULT 0 CHECK (sample_value >= 0),
  seed              text NOT NULL CHECK (length(seed) BETWEEN 1 AND 64),
  cooldown_days     integer NOT NULL DEFAULT 90 CHECK (cooldown_days BETWEEN 0 AND 730),
  state             text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'cancelled')),
  sample_size       integer,
  responses         integer,
  score             numeric(5,2) CHECK (score BETWEEN 0 AND 100),
  opened_at         timestamptz,
  closed_at         timestamptz,
  cancelled_at      timestamptz,
  cancel_reason     text,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  CHECK (closes_at > opens_at),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
  CHECK (state = 'draft' OR state = 'cancelled' OR opened_at IS NOT NULL),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, questionnaire_id) REFERENCES survey_questionnaires (org_id, id)
);
CREATE INDEX survey_campaigns_list ON survey_campaigns (org_id, project_id, created_at DESC);
-- The sweep's two questions: drafts whose opening time has come, open ones past their closing time.
CREATE INDEX survey_campaigns_due ON survey_campaigns (org_id, opens_at) WHERE state = 'draft';
CREATE INDEX survey_campaigns_closing ON survey_campaigns (org_id, closes_at) WHERE state = 'open';

-- No foreign key to units: the rows come only from the opening's `INSERT … SELECT … FROM units`
-- (as notice_recipients), and flats are never deleted.
CREATE TABLE survey_samples (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  campaign_id  uuid NOT NULL,
  unit_id      uuid NOT NULL,
  building_id  uuid NOT NULL,
  PRIMARY KEY (org_id, campaign_id, unit_id),
  FOREIGN KEY (org_id, project_id, campaign_id) REFERENCES survey_campaigns (org_id, project_id, id)
);
-- The cooldown's question (was this flat sampled lately?) and the resident's (am I sampled?).
CREATE INDEX survey_samples_unit ON survey_samples (org_id, project_id, unit_id);

CREATE TABLE survey_responses (
  org_id        uuid NOT NULL,
  project_id    uuid NOT NULL,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id   uuid NOT NULL,
  unit_id       uuid NOT NULL,
  resident_id   uuid,
  channel       text NOT NULL CHECK (channel IN ('app', 'phone', 'visit', 'paper')),
  entered_by    text,
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  score         numeric(5,2) CHECK (score BETWEEN 0 AND 100),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  -- One answer per sampled flat.
  UNIQUE (org_id, campaign_id, unit_id),
  CHECK ((channel = 'app') = (resident_id IS NOT NULL AND entered_by IS NULL)),
  FOREIGN KEY (org_id, campaign_id, unit_id) REFERENCES survey_samples (org_id, campaign_id, unit_id),
  FOREIGN KEY (org_id, project_id, campaign_id) REFERENCES survey_campaigns (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id, resident_id) REFERENCES residents (org_id, project_id, id)
);

CREATE TABLE survey_answers (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  response_id  uuid NOT NULL,
  question_id  uuid NOT NULL,
  option_ids   uuid[] NOT NULL DEFAULT '{{}}',
  rating       smallint CHECK (rating BETWEEN 1 AND 5),
  text         text CHECK (length(text) BETWEEN 1 AND 1000),
  score        numeric(5,2) CHECK (score BETWEEN 0 AND 100),
  PRIMARY KEY (org_id, response_id, question_id),
  FOREIGN KEY (org_id, project_id, response_id) REFERENCES survey_responses (org_id, project_id, id),
  FOREIGN KEY (org_id, question_id) REFERENCES survey_questions (org_id, id)
);
CREATE INDEX survey_answers_question ON survey_answers (org_id, question_id);
"""

# §7.4. A campaign is the resident's while it is open and samples one of their flats; what hangs
# off it (questionnaire, questions, options) follows through subqueries under their own policies.
_MY_SAMPLE = ("EXISTS (SELECT 1 FROM survey_samples s WHERE s.org_id = survey_campaigns.org_id "
              "AND s.campaign_id = survey_campaigns.id AND s.unit_id IN (SELECT t.unit_id FROM resident_stays() t))")
_RESIDENT_CAMPAIGN = f"{RESIDENT_PROJECT} AND state = 'open' AND {_MY_SAMPLE}"
_RESIDENT_QUESTIONNAIRE = f"{ORG_ONLY} AND id IN (SELECT c.questionnaire_id FROM survey_campaigns c)"
_RESIDENT_QUESTION = f"{ORG_ONLY} AND questionnaire_id IN (SELECT c.questionnaire_id FROM survey_campaigns c)"
_RESIDENT_OPTION = f"{ORG_ONLY} AND question_id IN (SELECT q.id FROM survey_questions q)"
_RESIDENT_RESPONSE = f"{resident_unit_rule()} AND campaign_id IN (SELECT c.id FROM survey_campaigns c)"
_RESIDENT_RESPONSE_INSERT = f"{_RESIDENT_RESPONSE} AND resident_id = (SELECT app_resident_id()) AND channel = 'app'"
_RESIDENT_ANSWER = f"{RESIDENT_PROJECT} AND response_id IN (SELECT r.id FROM survey_responses r)"


# §7.3: the evaluation weighs the month's closed campaigns, so a campaign closed in a month is a
# change of that month's evaluation, as a submitted inspection is (0016's function, plus surveys).
_CHANGES = """
CREATE OR REPLACE FUNCTION evaluation_changes(p_since date) RETURNS TABLE (org_id uuid, month date)
LANGUAGE sql STABLE AS
$$ WITH months AS (SELECT m.org_id, m.month, max(m.updated_at) AS changed FROM kpi_project_month m
                   WHERE m.month >= p_since GROUP BY m.org_id, m.month),
        changes AS (SELECT months.org_id, months.month, months.changed FROM months
                    UNION ALL
                    SELECT i.org_id, date_trunc('month', i.inspected_on::timestamp)::date, max(i.submitted_at) FROM inspections i
                    WHERE i.state = 'submitted' AND i.inspected_on >= p_since GROUP BY 1, 2
                    UNION ALL
                    %s
                    SELECT months.org_id, months.month, w.updated_at FROM months JOIN kpi_weights w ON w.org_id = months.org_id)
   SELECT c.org_id, c.month FROM changes c GROUP BY c.org_id, c.month
   HAVING max(c.changed) > coalesce((SELECT max(s.computed_at) FROM kpi_project_score s
                                     WHERE s.org_id = c.org_id AND s.month = c.month) - interval '1 minute', '-infinity') $$;
"""
# 0039's fee buckets stay among the changes (it defined the function last before this one).
_FEE_CHANGES = """SELECT f.org_id, f.month, max(f.updated_at) FROM kpi_fee_month f WHERE f.month >= p_since GROUP BY 1, 2
                    UNION ALL
                    """
_SURVEY_CHANGES = """SELECT c.org_id, date_trunc('month', c.closed_at AT TIME ZONE 'Asia/Shanghai')::date, max(c.closed_at)
                    FROM survey_campaigns c WHERE c.state = 'closed'
                      AND c.closed_at >= p_since::timestamp AT TIME ZONE 'Asia/Shanghai' GROUP BY 1, 2
                    UNION ALL"""


_FINDER = f"""
CREATE FUNCTION orgs_with_campaigns_due(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT org_id FROM survey_campaigns WHERE state = 'draft' AND opens_at <= p_now AND closes_at > p_now
   UNION
   SELECT org_id FROM survey_campaigns WHERE state = 'open' AND closes_at <= p_now $$;
REVOKE ALL ON FUNCTION orgs_with_campaigns_due(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orgs_with_campaigns_due(timestamptz) TO {APP_ROLE};
"""


def upgrade() -> None:
    run_script(_TABLES + _FINDER
               + "".join(protect(t, ORG_ONLY) for t in ("survey_questionnaires", "survey_questions", "survey_options"))
               + "".join(protect(t, project_rule())
                         for t in ("survey_campaigns", "survey_samples", "survey_responses", "survey_answers"))
               + protect_for_resident("survey_campaigns", {"SELECT": _RESIDENT_CAMPAIGN},
                                      "org_id, project_id, id, questionnaire_id, title, opens_at, closes_at, state")
               + protect_for_resident("survey_samples", {"SELECT": resident_unit_rule()})
               + protect_for_resident("survey_questionnaires", {"SELECT": _RESIDENT_QUESTIONNAIRE}, "org_id, id, title, intro")
               + protect_for_resident("survey_questions", {"SELECT": _RESIDENT_QUESTION})
               + protect_for_resident("survey_options", {"SELECT": _RESIDENT_OPTION})
               + protect_for_resident("survey_responses", {"SELECT": _RESIDENT_RESPONSE, "INSERT": _RESIDENT_RESPONSE_INSERT})
               + protect_for_resident("survey_answers", {"SELECT": _RESIDENT_ANSWER, "INSERT": _RESIDENT_ANSWER}))
    run_script("ALTER TABLE kpi_weights ADD COLUMN survey double precision NOT NULL DEFAULT 10;"
               + _CHANGES % (_FEE_CHANGES + _SURVEY_CHANGES))


def downgrade() -> None:
    run_script(_CHANGES % _FEE_CHANGES + "ALTER TABLE kpi_weights DROP COLUMN IF EXISTS survey;")
    run_script("DROP FUNCTION IF EXISTS orgs_with_campaigns_due(timestamptz);"
               "DROP TABLE IF EXISTS survey_answers, survey_responses, survey_samples, survey_campaigns, survey_options, "
               "survey_questions, survey_questionnaires;")
