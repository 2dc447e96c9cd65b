"""Standard replies and knowledge (统一话术 / 知识库), docs/centre-day.md §5: articles of the company
(project NULL: one wording for every project) or of one project, each edit a new version that is
never changed, and how often each was used per project and day.

Search is a trigram index on the article's title, tags and current body, as case search is
(0003): a two-character Chinese query is an index scan, no tokenizer needed.

Revision ID: 0043_knowledge
Revises: 0042_surveys
"""

from migrations.rls import company_or_project_rule, project_rule, protect, run_script

revision = "0043_knowledge"
down_revision = "0042_surveys"
branch_labels = None
depends_on = None

_TABLES = """
CREATE TABLE knowledge_articles (
  org_id          uuid NOT NULL REFERENCES organizations (org_id),
  project_id      uuid,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  kind            text NOT NULL CHECK (kind IN ('wording', 'answer', 'service')),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  tags            text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 10),
  category_codes  text[] NOT NULL DEFAULT '{}' CHECK (cardinality(category_codes) <= 10),
  price_fen       bigint CHECK (price_fen >= 0),
  price_unit      text CHECK (length(price_unit) BETWEEN 1 AND 20),
  active          boolean NOT NULL DEFAULT true,
  created_by      text NOT NULL,
  updated_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  -- Title, tags and body, written with them (array_to_string is not immutable, so not a generated column).
  search_text     text NOT NULL,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  -- A price belongs to a paid service (有偿服务) only.
  CHECK (kind = 'service' OR (price_fen IS NULL AND price_unit IS NULL))
);
CREATE INDEX knowledge_articles_scope ON knowledge_articles (org_id, project_id, kind, title);
CREATE INDEX knowledge_articles_search ON knowledge_articles USING gin (search_text gin_trgm_ops);

CREATE TABLE knowledge_versions (
  org_id      uuid NOT NULL,
  project_id  uuid,
  article_id  uuid NOT NULL,
  version     integer NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  note        text CHECK (length(note) <= 200),
  by          text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, article_id, version),
  FOREIGN KEY (org_id, article_id) REFERENCES knowledge_articles (org_id, id)
);

CREATE TABLE knowledge_uses (
  org_id      uuid NOT NULL,
  project_id  uuid NOT NULL,
  article_id  uuid NOT NULL,
  day         date NOT NULL,
  uses        integer NOT NULL DEFAULT 1 CHECK (uses >= 0),
  PRIMARY KEY (org_id, project_id, article_id, day),
  FOREIGN KEY (org_id, article_id) REFERENCES knowledge_articles (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id)
);
CREATE INDEX knowledge_uses_article ON knowledge_uses (org_id, article_id, day);
"""


def upgrade() -> None:
    run_script(_TABLES
               + protect("knowledge_articles", company_or_project_rule(), "SELECT, INSERT, UPDATE")
               # Versions are history: written once, never changed or removed.
               + protect("knowledge_versions", company_or_project_rule(), "SELECT, INSERT")
               + protect("knowledge_uses", project_rule(), "SELECT, INSERT, UPDATE"))


def downgrade() -> None:
    run_script("DROP TABLE IF EXISTS knowledge_uses, knowledge_versions, knowledge_articles;")
