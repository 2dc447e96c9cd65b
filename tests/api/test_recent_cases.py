"""最近工单 `Resident.recentCases(first)` (docs/archive.md §5): the newest cases first, and only as
many read as are shown — for each resident and each `first` asked, in one statement for a page.
Another company's resident is null, and their cases are not read. Through the real app and the
read model, as the application role."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.archive.reads_people import recent_cases_of_residents
from domain.reads import ConnectionReader
from tenants.context import TenantScope
from tests.api.conftest import statements_of

TWO_SIZES = """query($r: ID!) { node(id: $r) { ... on Resident { few: recentCases(first: 2) { number }
  more: recentCases(first: 5) { number } none: recentCases(first: 0) { number } } } }"""


async def _resident_with_cases(owner_engine, org, cases: int) -> uuid.UUID:
    r = uuid.uuid4()
    ids = {"o": org.org_id, "p": org.projects["P1"], "r": r, "admin": org.admin_id}
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO residents (org_id, project_id, id, name) VALUES (:o, :p, :r, '王建国')"), ids)
        cat = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o LIMIT 1"), ids)).scalar()
        for i in range(cases):
            await conn.execute(text(
                "INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, reporter_resident_id, "
                "first_receiver_id, description, state, received_at) VALUES (:o, :p, gen_random_uuid(), :n, 'repair', 'general', "
                "'phone', :cat, :r, :admin, '漏水', 'received', now() - make_interval(days => :d))"),
                {**ids, "cat": cat, "n": f"GD-{r.hex[:6]}-{i:04d}", "d": cases - i})
    return r


def _numbers(r: uuid.UUID, *newest_first: int) -> list[dict]:
    return [{"number": f"GD-{r.hex[:6]}-{i:04d}"} for i in newest_first]


async def test_the_newest_first_and_no_more_than_shown(gql, owner_engine, platform, org):
    r = await _resident_with_cases(owner_engine, org, 12)
    body = await gql(TWO_SIZES, {"r": to_global_id("Resident", r)}, token=await gql.login(org))
    assert body["data"]["node"] == {"few": _numbers(r, 11, 10), "more": _numbers(r, 11, 10, 9, 8, 7), "none": []}

    quiet = await _resident_with_cases(owner_engine, org, 1)
    async with platform.transaction(TenantScope(org.org_id, None, f"user:{org.admin_id}")) as conn:
        read = await recent_cases_of_residents(ConnectionReader(conn, org.org_id), [(r, 3), (quiet, 10), (r, 1)])
    # What the database answers is what is shown: 3, 1 (all there is), 1 — not 50 each.
    assert [len(rows) for rows in read] == [3, 1, 1]


async def test_a_page_of_residents_costs_one_statement_for_their_cases(owner_engine, platform, org):
    await _resident_with_cases(owner_engine, org, 3)
    query = ('{ residents(projectId: "%s", filter: {current: false}) { edges { node { recentCases(first: 2) { number } } } } }'
             % to_global_id("Project", org.projects["P1"]))
    alone = await statements_of(platform, org, query)
    for _ in range(4):
        await _resident_with_cases(owner_engine, org, 3)
    assert await statements_of(platform, org, query) == alone


async def test_another_companys_resident_and_cases_stay_out(gql, owner_engine, platform, org, other_org):
    theirs = await _resident_with_cases(owner_engine, other_org, 4)
    body = await gql(TWO_SIZES, {"r": to_global_id("Resident", theirs)}, token=await gql.login(org))
    assert body["data"]["node"] is None
    async with platform.transaction(TenantScope(org.org_id, None, f"user:{org.admin_id}")) as conn:
        assert await recent_cases_of_residents(ConnectionReader(conn, org.org_id), [(theirs, 5)]) == [[]]
