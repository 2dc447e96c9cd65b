"""The sweeps' finders judge "due" by the database's clock, as 0036 made the upload purge's do.

Each finder is SECURITY DEFINER and answers across companies. Those that took the time from their
caller let the application role ask with a far-future time (or a far-past one) and learn which
companies hold any referral, notice, campaign, resolved case, rate-limit window or fee month at
all, not only those with something due now. The arguments stay (callers keep working); the time
they give is clamped so it never reaches past what is due by the database's `now()`:

- `orgs_with_referrals_due`, `orgs_with_notices_due`, `orgs_with_campaigns_due`: at most `now()`.
- `orgs_with_cases_to_confirm`: at most `now()` less the 48 hours' silence (domain/cases/defaults.py).
- `orgs_with_resident_quota`: at most `now()` less the day a window is kept (domain/residents/quota.py).
- `orgs_with_fee_months_to_judge`: months closed by `now()` (02:00 Beijing on the 1st after) and
  at most three back (domain/alerts/collection.py `judgeable`).

An earlier time than the clamp is still honoured: a caller may ask for less, never for more.
`orgs_with_evaluation_changes(p_since)` is left alone: its sweep already asks from 2000-01-01.

Revision ID: 0048_finders
Revises: 0047_calls
"""

from migrations.rls import run_script

revision = "0048_finders"
down_revision = "0047_calls"
branch_labels = None
depends_on = None

_HEAD = "CREATE OR REPLACE FUNCTION {sig} RETURNS SETOF uuid\nLANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS\n"
_FEE_BEFORE = "least(p_before, date_trunc('month', (now() AT TIME ZONE 'Asia/Shanghai') - interval '2 hours')::date)"

# (signature, body after the fix, body before it). CREATE OR REPLACE keeps each function's grants.
_FINDERS = (
    ("orgs_with_referrals_due(p_now timestamptz)",
     "SELECT DISTINCT org_id FROM referrals WHERE next_check_at <= least(p_now, now())",
     "SELECT DISTINCT org_id FROM referrals WHERE next_check_at <= p_now"),
    ("orgs_with_notices_due(p_now timestamptz)",
     "SELECT org_id FROM notices WHERE state = 'scheduled' AND publish_at <= least(p_now, now()) UNION "
     "SELECT org_id FROM notices WHERE state = 'published' AND expires_at <= least(p_now, now())",
     "SELECT org_id FROM notices WHERE state = 'scheduled' AND publish_at <= p_now UNION "
     "SELECT org_id FROM notices WHERE state = 'published' AND expires_at <= p_now"),
    ("orgs_with_campaigns_due(p_now timestamptz)",
     "SELECT org_id FROM survey_campaigns WHERE state = 'draft' AND opens_at <= least(p_now, now()) "
     "AND closes_at > least(p_now, now()) UNION "
     "SELECT org_id FROM survey_campaigns WHERE state = 'open' AND closes_at <= least(p_now, now())",
     "SELECT org_id FROM survey_campaigns WHERE state = 'draft' AND opens_at <= p_now AND closes_at > p_now UNION "
     "SELECT org_id FROM survey_campaigns WHERE state = 'open' AND closes_at <= p_now"),
    ("orgs_with_cases_to_confirm(p_before timestamptz)",
     "SELECT DISTINCT org_id FROM cases WHERE state = 'resolved' AND resolved_at <= least(p_before, now() - interval '48 hours')",
     "SELECT DISTINCT org_id FROM cases WHERE state = 'resolved' AND resolved_at <= p_before"),
    ("orgs_with_resident_quota(p_before timestamptz)",
     "SELECT DISTINCT org_id FROM resident_quota WHERE window_start < least(p_before, now() - interval '1 day')",
     "SELECT DISTINCT org_id FROM resident_quota WHERE window_start < p_before"),
    ("orgs_with_fee_months_to_judge(p_since date, p_before date)",
     f"SELECT DISTINCT org_id FROM kpi_fee_month WHERE judged_at IS NULL AND month < {_FEE_BEFORE} "
     f"AND month >= greatest(p_since, ({_FEE_BEFORE} - interval '3 months')::date)",
     "SELECT DISTINCT org_id FROM kpi_fee_month WHERE judged_at IS NULL AND month >= p_since AND month < p_before"),
)


def _script(fixed: bool) -> str:
    return "".join(_HEAD.format(sig=sig) + f"$$ {new if fixed else old} $$;\n" for sig, new, old in _FINDERS)


def upgrade() -> None:
    run_script(_script(True))


def downgrade() -> None:
    run_script(_script(False))
