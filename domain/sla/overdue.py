"""超时 What "overdue" means, once, for every place that shows it: `Case.overdue`, the case list's
`overdue` filter (strawberry and compiled), `overdueCases`, and the overview's count through the
rollups.

A case is overdue when it is open — not resolved, confirmed, closed, declined, cancelled, nor
referred (an outside body has it, on the referral's own clock) — and one of its targets is
breached: not met, and either its promise was broken or its deadline passed before its clock
stopped (now, or when it began waiting: a wait moves the deadline on by its length)."""

from __future__ import annotations

from sqlalchemy import text

from domain.cases.states import NO_OVERDUE

_NOT_OPEN = ", ".join(f"'{s.value}'" for s in sorted(NO_OVERDUE))


def breached(t: str) -> str:
    """The SQL test of a breached target row `t` of case_targets (as `domain.sla.status.state`)."""
    return f"{t}.met_at IS NULL AND ({t}.broken_at IS NOT NULL OR coalesce({t}.paused_at, now()) > {t}.due_at)"


def overdue(c: str = "c") -> str:
    """The SQL test of an overdue case row `c` of cases."""
    return (f"({c}.state NOT IN ({_NOT_OPEN}) AND EXISTS (SELECT 1 FROM case_targets o WHERE o.org_id = {c}.org_id "
            f"AND o.case_id = {c}.id AND {breached('o')}))")


# Each overdue case once, with the target it is longest past: since its deadline, or since its
# promise was broken (least() skips a NULL).
OVERDUE_CASES = text(
    "SELECT case_id, target, since FROM (SELECT DISTINCT ON (t.case_id) t.case_id, t.target, "
    "  least(t.due_at, t.broken_at) AS since FROM case_targets t JOIN cases c ON c.org_id = t.org_id AND c.id = t.case_id "
    f"  WHERE t.org_id = :org AND {breached('t')} AND c.state NOT IN ({_NOT_OPEN}) AND (CAST(:p AS uuid) IS NULL OR t.project_id = :p) "
    "  ORDER BY t.case_id, least(t.due_at, t.broken_at)) o ORDER BY since, case_id LIMIT :n"
)
