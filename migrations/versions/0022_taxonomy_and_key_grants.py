"""The case category taxonomy a company manages itself — an English label beside the Chinese one,
the case kinds a category applies to (NULL: every kind) — and the case transitions a company
grants an integrator's API key (NULL: what its access, read or read_write, gives).

Revision ID: 0022
Revises: 0021
"""

from migrations.rls import run_script

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_KINDS = "'repair', 'complaint', 'inquiry', 'request', 'suggestion', 'praise', 'report'"


def upgrade() -> None:
    from domain.cases.categories import DEFAULT_NAMES_EN

    english = ", ".join(f"('{code}', '{name}')" for code, name in DEFAULT_NAMES_EN.items())
    run_script(f"""
ALTER TABLE case_categories
  ADD COLUMN name_en text CHECK (length(name_en) BETWEEN 1 AND 80),
  ADD COLUMN kinds text[] CHECK (cardinality(kinds) >= 1 AND kinds <@ ARRAY[{_KINDS}]);
UPDATE case_categories c SET name_en = v.name_en FROM (VALUES {english}) AS v(code, name_en) WHERE c.code = v.code;
ALTER TABLE api_keys ADD COLUMN permissions text[] CHECK (cardinality(permissions) >= 1);
""")


def downgrade() -> None:
    run_script("ALTER TABLE case_categories DROP COLUMN IF EXISTS name_en, DROP COLUMN IF EXISTS kinds; "
               "ALTER TABLE api_keys DROP COLUMN IF EXISTS permissions;")
