"""`resident_unit_rule` (migrations/rls.py) keeps a resident to rows of their own flats: the
table's `unit_id` is compared with the resident's stays, not the stays' own column with itself
(which once let every flat of the project through). Checked on the tables whose resident policy
is that rule alone: a neighbour's rows stay hidden, and a receipt for a neighbour's flat is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tenants.context import TenantScope
from tests.api._resident import make_company


async def test_a_resident_sees_and_writes_rows_of_their_own_flat_only(owner_engine, gql, platform):
    company = await make_company(owner_engine, gql, platform.cipher)
    org, p = company.org, company.org.projects["P1"]
    keys = {"o": org.org_id, "p": p}
    async with owner_engine.begin() as conn:
        nid = (await conn.execute(text("INSERT INTO notices (org_id, project_id, title, body, kind, audience, state, author) "
                                       "VALUES (:o, :p, '停水', '明日停水', 'general', 'units', 'published', 'user:x') RETURNING id"),
                                  keys)).scalar()
        cid = (await conn.execute(text("INSERT INTO survey_questionnaires (org_id, title, created_by) VALUES (:o, '问卷', 'user:x') "
                                       "RETURNING id"), keys)).scalar()
        cid = (await conn.execute(text(
            "INSERT INTO survey_campaigns (org_id, project_id, questionnaire_id, title, opens_at, closes_at, sample_mode, seed, "
            "state, opened_at, created_by) VALUES (:o, :p, :q, '调查', now(), now() + interval '7 days', 'all', 's', 'open', now(), "
            "'user:x') RETURNING id"), keys | {"q": cid})).scalar()
        for unit in ("301", "302"):
            u = company.units[unit]
            await conn.execute(text("INSERT INTO notice_recipients (org_id, project_id, notice_id, unit_id) VALUES (:o, :p, :n, :u)"),
                               keys | {"n": nid, "u": u})
            await conn.execute(text("INSERT INTO survey_samples (org_id, project_id, campaign_id, unit_id, building_id) "
                                    "SELECT :o, :p, :c, id, building_id FROM units WHERE id = :u"), keys | {"c": cid, "u": u})
    zhang = company.residents["zhang"]
    scope = TenantScope(org.org_id, frozenset({p}), f"resident:{zhang}", resident_id=zhang)
    async with platform.transaction(scope) as conn:
        for table in ("notice_recipients", "survey_samples"):
            assert [r[0] for r in await conn.execute(text(f"SELECT unit_id FROM {table}"))] == [company.units["301"]], table
    with pytest.raises(DBAPIError) as refused:
        async with platform.transaction(scope) as conn:
            await conn.execute(text("INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) "
                                    "VALUES (:o, :p, :n, :u, :r)"), keys | {"n": nid, "u": company.units["302"], "r": zhang})
    assert refused.value.orig.sqlstate == "42501"
