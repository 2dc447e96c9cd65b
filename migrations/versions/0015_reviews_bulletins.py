"""Case reviews (案例研判) and internal bulletins (内部通报): HQ marks representative cases with
their root cause and lessons (a shared one copied to every project of the company); bulletins praise or
criticise a project or one of its departments and keep, frozen at publication, the month's figures they were based on.

Revision ID: 0015
Revises: 0014
"""

from migrations.rls import project_rule, protect, run_script

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

VERDICTS = "('exemplary', 'cautionary')"
ROOT_CAUSES = "('process', 'people', 'resources', 'communication', 'outside_party', 'facility', 'developer_legacy', 'other')"


def upgrade() -> None:
    run_script(f"""
-- One review per case; a revision updates it and raises its version, and every version's
-- content is kept in the audit log.
CREATE TABLE case_reviews (
  org_id               uuid NOT NULL,
  project_id           uuid NOT NULL,
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  case_id              uuid NOT NULL,
  verdict              text NOT NULL CHECK (verdict IN {VERDICTS}),
  root_cause_category  text NOT NULL CHECK (root_cause_category IN {ROOT_CAUSES}),
  root_cause           text NOT NULL CHECK (length(root_cause) BETWEEN 1 AND 2000),
  lessons              text NOT NULL CHECK (length(lessons) BETWEEN 1 AND 2000),
  corrective_actions   text NOT NULL DEFAULT '' CHECK (length(corrective_actions) <= 2000),
  tags                 text[] NOT NULL DEFAULT '{{}}' CHECK (cardinality(tags) <= 10),
  shared               boolean NOT NULL DEFAULT false,
  version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  reviewed_by          text NOT NULL,
  reviewed_at          timestamptz NOT NULL DEFAULT now(),
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, case_id),
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);
CREATE INDEX case_reviews_recent ON case_reviews (org_id, project_id, reviewed_at DESC);
-- Headquarters' shared lessons: the shared reviews themselves, newest first.
CREATE INDEX case_reviews_shared ON case_reviews (org_id, reviewed_at DESC) WHERE shared;

-- 全公司分享 What every project of a company reads of a shared review: the lesson, the case's
-- number and its project's name — nothing of the resident. One copy per audience project
-- (project_id), refreshed on each revision and removed when unshared, so that the wall stays the
-- plain project rule.
CREATE TABLE case_review_circulation (
  org_id               uuid NOT NULL,
  project_id           uuid NOT NULL,
  review_id            uuid NOT NULL,
  case_number          text NOT NULL,
  source_project       text NOT NULL,
  verdict              text NOT NULL,
  root_cause_category  text NOT NULL,
  root_cause           text NOT NULL,
  lessons              text NOT NULL,
  corrective_actions   text NOT NULL,
  tags                 text[] NOT NULL,
  version              integer NOT NULL,
  reviewed_at          timestamptz NOT NULL,
  PRIMARY KEY (org_id, project_id, review_id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, review_id) REFERENCES case_reviews (org_id, id) ON DELETE CASCADE
);
CREATE INDEX case_review_circulation_recent ON case_review_circulation (org_id, project_id, reviewed_at DESC);
CREATE INDEX case_review_circulation_review ON case_review_circulation (org_id, review_id);

CREATE TABLE bulletins (
  org_id             uuid NOT NULL,
  project_id         uuid NOT NULL,
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  kind               text NOT NULL CHECK (kind IN ('praise', 'criticism', 'notice')),
  title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  body               text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  department_id      uuid,
  month              date NOT NULL CHECK (extract(day FROM month) = 1),
  cited_figures      text[] NOT NULL DEFAULT '{{}}' CHECK (cardinality(cited_figures) <= 30),
  -- The month's counts and figures as they were when it was published; null while a draft.
  figures            jsonb,
  state              text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'withdrawn')),
  drafted_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  published_by       text,
  published_at       timestamptz,
  withdrawn_by       text,
  withdrawn_at       timestamptz,
  withdrawal_reason  text CHECK (length(withdrawal_reason) BETWEEN 1 AND 500),
  -- Circulated to every project of the company (全公司通报): copies in bulletin_circulation.
  circulated         boolean NOT NULL DEFAULT false,
  CHECK ((state = 'draft') = (figures IS NULL AND published_at IS NULL)),
  CHECK ((state = 'withdrawn') = (withdrawal_reason IS NOT NULL)),
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, project_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, project_id, department_id) REFERENCES departments (org_id, project_id, id)
);
CREATE INDEX bulletins_recent ON bulletins (org_id, project_id, month DESC, created_at DESC);
-- Headquarters' circulars: the circulated bulletins themselves, newest first.
CREATE INDEX bulletins_circulated ON bulletins (org_id, published_at DESC) WHERE circulated;

-- The cases a bulletin cites: of its own project, by construction of the keys.
CREATE TABLE bulletin_cases (
  org_id       uuid NOT NULL,
  project_id   uuid NOT NULL,
  bulletin_id  uuid NOT NULL,
  case_id      uuid NOT NULL,
  position     smallint NOT NULL,
  PRIMARY KEY (org_id, bulletin_id, case_id),
  FOREIGN KEY (org_id, project_id, bulletin_id) REFERENCES bulletins (org_id, project_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, project_id, case_id) REFERENCES cases (org_id, project_id, id)
);

-- What the other projects of a company see of a circulated bulletin: one copy per audience
-- project (project_id), so that their wall stays the plain project rule.
CREATE TABLE bulletin_circulation (
  org_id             uuid NOT NULL,
  project_id         uuid NOT NULL,
  bulletin_id        uuid NOT NULL,
  kind               text NOT NULL,
  title              text NOT NULL,
  body               text NOT NULL,
  month              date NOT NULL,
  subject            text NOT NULL,
  figures            jsonb NOT NULL,
  published_at       timestamptz NOT NULL,
  withdrawn_at       timestamptz,
  withdrawal_reason  text,
  PRIMARY KEY (org_id, project_id, bulletin_id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, bulletin_id) REFERENCES bulletins (org_id, id)
);
CREATE INDEX bulletin_circulation_recent ON bulletin_circulation (org_id, project_id, published_at DESC);
""" + protect("case_reviews", project_rule(), "SELECT, INSERT, UPDATE")
        + protect("bulletins", project_rule(), "SELECT, INSERT, UPDATE")
        + protect("bulletin_cases", project_rule(), "SELECT, INSERT, DELETE")
        + protect("bulletin_circulation", project_rule(), "SELECT, INSERT, UPDATE")
        + protect("case_review_circulation", project_rule(), "SELECT, INSERT, DELETE"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS case_review_circulation, bulletin_circulation, bulletin_cases, bulletins, case_reviews;")
