"""Early warning, the rest of DESIGN §5: rules evaluated over windows (SLA breach rate, satisfaction, reopenings).

The thresholds are new columns of `alert_settings` with their defaults, so a company that set
its risk words before keeps them and gets the defaults for the rest. Fee collection waits for
fees, which the product does not hold yet.

Revision ID: 0013
Revises: 0012
"""

from migrations.rls import ORG_ONLY, project_rule, protect, run_script  # noqa: F401

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_RULES = "('skip_level', 'risk_words', 'cluster', 'repeat_complainant')"
RULES = "('skip_level', 'risk_words', 'cluster', 'repeat_complainant', 'sla_breach', 'satisfaction')"


def upgrade() -> None:
    run_script(f"""
ALTER TABLE alert_settings
  ADD COLUMN breach_orange           double precision NOT NULL DEFAULT 0.10,
  ADD COLUMN breach_red              double precision NOT NULL DEFAULT 0.20,
  ADD COLUMN breach_days             integer NOT NULL DEFAULT 7 CHECK (breach_days BETWEEN 1 AND 90),
  ADD COLUMN breach_min_cases        integer NOT NULL DEFAULT 20 CHECK (breach_min_cases BETWEEN 1 AND 100000),
  ADD COLUMN satisfaction_target     double precision NOT NULL DEFAULT 0.90 CHECK (satisfaction_target > 0 AND satisfaction_target <= 1),
  ADD COLUMN satisfaction_min_visits integer NOT NULL DEFAULT 10 CHECK (satisfaction_min_visits BETWEEN 1 AND 100000),
  ADD COLUMN satisfaction_drop       double precision NOT NULL DEFAULT 0.10 CHECK (satisfaction_drop > 0 AND satisfaction_drop <= 1),
  ADD COLUMN repeat_reopenings       integer NOT NULL DEFAULT 2 CHECK (repeat_reopenings BETWEEN 1 AND 20),
  ADD CONSTRAINT alert_settings_breach CHECK (0 < breach_orange AND breach_orange < breach_red AND breach_red <= 1);

ALTER TABLE alerts DROP CONSTRAINT alerts_rule_check,
  ADD CONSTRAINT alerts_rule_check CHECK (rule IN {RULES});
""")


def downgrade() -> None:
    run_script(f"""
DELETE FROM alerts WHERE rule NOT IN {OLD_RULES};
ALTER TABLE alerts DROP CONSTRAINT alerts_rule_check, ADD CONSTRAINT alerts_rule_check CHECK (rule IN {OLD_RULES});
ALTER TABLE alert_settings DROP CONSTRAINT IF EXISTS alert_settings_breach,
  DROP COLUMN IF EXISTS breach_orange, DROP COLUMN IF EXISTS breach_red, DROP COLUMN IF EXISTS breach_days,
  DROP COLUMN IF EXISTS breach_min_cases, DROP COLUMN IF EXISTS satisfaction_target, DROP COLUMN IF EXISTS satisfaction_min_visits,
  DROP COLUMN IF EXISTS satisfaction_drop, DROP COLUMN IF EXISTS repeat_reopenings;
""")
