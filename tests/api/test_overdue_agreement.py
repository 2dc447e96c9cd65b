"""超时 One definition of "overdue" behind the four places that show it — `Case.overdue`, the
`cases(filter: {overdue})` list, `overdueCases` and `orgOverview.overdue` — on both the compiled
and the strawberry path, over the demo's history with a breached target forced onto a case of
every state."""

from __future__ import annotations

import httpx
import pytest
from datetime import UTC, datetime
from sqlalchemy import text

from api.app import create_app
from domain.kpi.rollups import rebuild
from tenants.context import TenantScope
from firstcall.demo_history import add_history
from tests.integration.test_demo_history import staffed

PAGE = ("query($f: CaseFilter, $a: String) { cases(filter: $f, first: 100, after: $a) { totalCount "
        "pageInfo { hasNextPage endCursor } edges { node { id state overdue } } } }")
NEVER = {"RESOLVED", "CONFIRMED", "CLOSED", "DECLINED", "CANCELLED", "REFERRED"}


@pytest.fixture
async def slow(platform):
    app = create_app(platform, None, instrument=False, compiled=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


async def _all(client, token, variables) -> tuple[int, list[dict]]:
    nodes, after, total = [], None, None
    while True:
        body = (await client.post("/graphql", json={"query": PAGE, "variables": {**variables, "a": after}},
                                  headers={"authorization": f"Bearer {token}"})).json()
        page = body["data"]["cases"]
        total = page["totalCount"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return total, nodes
        after = page["pageInfo"]["endCursor"]


async def test_the_four_overdue_numbers_agree(client, slow, gql, owner_engine, org, platform):
    await staffed(owner_engine, org)
    assert await add_history(owner_engine, org.org_id, now=datetime.now(UTC), days=4) > 20
    async with owner_engine.begin() as conn:
        # One case of every state gets a commitment target that is unmet and past due.
        forced = dict((await conn.execute(text(
            "UPDATE case_targets t SET met_at = NULL, closed_by = NULL, paused_at = NULL, due_at = now() - interval '1 hour' "
            "FROM (SELECT DISTINCT ON (state) id, state FROM cases WHERE org_id = :o ORDER BY state, received_at) c "
            "WHERE t.case_id = c.id AND t.target = 'commit' RETURNING c.state, c.id"), {"o": org.org_id})).all())
    assert {"closed", "confirmed"} <= forced.keys() and len(forced) >= 4, forced
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)

    admin = await gql.login(org)
    overdue_sets = []
    for c in (client, slow):
        total, nodes = await _all(c, admin, {})
        assert total == len(nodes)
        flagged = {n["id"] for n in nodes if n["overdue"]}
        assert not {n["state"] for n in nodes if n["overdue"]} & NEVER, "never overdue once done, ended or referred"
        count, filtered = await _all(c, admin, {"f": {"overdue": True}})
        rest, _ = await _all(c, admin, {"f": {"overdue": False}})
        assert count == len(filtered) and count + rest == total
        overdue_sets += [flagged, {n["id"] for n in filtered}]
    listed = (await gql("{ overdueCases(first: 200) { case { id } } }", token=admin))["data"]["overdueCases"]
    overdue_sets.append({o["case"]["id"] for o in listed})
    overview = (await gql("{ orgOverview { overdue projects { overdue } } }", token=admin))["data"]["orgOverview"]

    assert all(s == overdue_sets[0] for s in overdue_sets), [len(s) for s in overdue_sets]
    assert overview["overdue"] == sum(p["overdue"] for p in overview["projects"]) == len(overdue_sets[0]) > 0
    open_forced = {state for state in forced if state.upper() not in NEVER}
    assert open_forced, forced
