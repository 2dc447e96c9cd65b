"""The TIME_LEFT list's plan on statistics that say case_targets is empty (loaded, analysed, then
filled — what a server without autovacuum, or between its runs, plans with): each case's worst
open target is a probe of case_targets' primary key by (org_id, case_id), never a walk of the
partial index case_targets_open by company alone (docs/benchmarks.md, "Load and soak": 893 ms
against 11 ms at 4,000 cases)."""

from __future__ import annotations

import re

from sqlalchemy import text

from api.graphql.types.case_list import page_terms
from domain.cases.queue import CaseOrder, page_sql
from domain.cases.reads import CASE_COLUMNS, CASE_FROM


async def test_time_left_probes_the_primary_key_on_statistics_that_say_empty(org, owner_engine):
    terms = page_terms(None, 50, None, None, CaseOrder.TIME_LEFT, org_id=org.org_id)
    sql = page_sql(CASE_COLUMNS, CASE_FROM, terms.count_where, terms.sort)
    async with owner_engine.connect() as conn:
        tx = await conn.begin()
        try:
            # Targets enough to fill pages (the cases they belong to do not matter to the plan, so
            # the foreign keys' triggers are off), then statistics as an ANALYZE of the empty
            # table leaves them; all rolled back.
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            await conn.execute(text(
                "INSERT INTO case_targets (org_id, project_id, case_id, target, round, clock, started_at, budget_minutes, due_at, "
                "met_at) SELECT :o, :p, gen_random_uuid(), t, 0, 'natural', now(), 60, now() + n * interval '1 minute', "
                "CASE WHEN t = 'commit' THEN now() END FROM generate_series(1, 300) n, unnest(ARRAY['commit', 'arrive', 'resolve']) t"),
                {"o": org.org_id, "p": next(iter(org.projects.values()))})
            await conn.execute(text("DELETE FROM pg_statistic WHERE starelid = 'case_targets'::regclass"))
            await conn.execute(text("UPDATE pg_class SET reltuples = 0, relpages = 0 WHERE oid IN "
                                    "('case_targets'::regclass, 'case_targets_pkey'::regclass, 'case_targets_open'::regclass)"))
            await conn.execute(text("SET LOCAL ROLE firstcall_app"))
            await conn.execute(text("SELECT set_config('app.org_id', :o, true), set_config('app.project_ids', '*', true)"),
                               {"o": str(org.org_id)})
            plan = "\n".join(r[0] for r in await conn.execute(text("EXPLAIN " + sql), {**terms.params, "limit": 51}))
        finally:
            await tx.rollback()
    # `t` is the worst-due subquery's alias (the overdue test's is `o`).
    probes = re.findall(r"Scan using (\w+) on case_targets t\b", plan)
    assert probes == ["case_targets_pkey"], plan
