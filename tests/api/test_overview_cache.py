"""The overview's kept answers (api/graphql/overview_cache.py, migration 0055): served again while
nothing the overview reads has changed — shown by the cache's counters and the statements a
request sends — and made afresh, equal to an uncached answer, after a new case, a rollup change,
a rebuild, a weights change, a new alert and a project change; never shared between companies or
between callers with different projects."""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import text

from api.context import Context
from api.graphql.compiled.document import plan_for
from api.graphql.compiled.execute import run_plan
from api.graphql.overview_cache import CACHE
from domain.kpi.rollups import rebuild
from tenants.context import TenantScope
from tenants.principal import Grant, Principal
from tenants.roles import Role
from tests.api.conftest import REGISTER, case_input, statements_of
from tests.api.test_org_overview import FULL_OVERVIEW, run, settle
from tests.conftest import add_user
from workers.score_sweep import sweep

COMPILED = ("{ orgOverview { open totals { received responseRate } alerts { red } scoredAt "
            "projects { project { id code name } open month { received responseRate } score standardScore rank } } }")
# A fragment sends the document to strawberry (api/graphql/compiled/document.py).
STRAWBERRY = ("query { orgOverview { ...o } } fragment o on OrgOverview { open totals { received responseRate } alerts { red } "
              "scoredAt projects { project { id code name } open month { received responseRate } score standardScore rank } }")
WEIGHTS = "mutation($r: Float!, $s: Float!) { setKpiWeights(input: {response: $r, resolution: $s}) { errors { code } } }"


async def version(owner_engine, org) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT coalesce(max(version), 0) FROM overview_versions WHERE org_id = :o"),
                                   {"o": org.org_id})).scalar()


async def compiled_statements(platform, org, query: str, versions=None) -> tuple[dict, int]:
    """The compiled path's answer as the company's admin, and the SQL statements it sent; `versions`:
    the overview versions pushed to the application (None: it always asks)."""
    context = Context(platform=platform, request=None, versions=versions,
                      principal=Principal("user", org.admin_id, org.org_id, (Grant(Role.ORG_ADMIN, None),)))
    plan = plan_for(query)
    assert plan is not None
    try:
        body = await run_plan(plan, {}, None, context)
    finally:
        await context.db.close()
    assert body is not None
    return json.loads(body), context.db.statements


class Viewer:
    """One caller's overview through HTTP, and the same question with every kept answer dropped."""

    def __init__(self, gql, token: str, query: str = COMPILED) -> None:
        self.gql, self.token, self.query = gql, token, query

    async def __call__(self) -> dict:
        body = await self.gql(self.query, token=self.token)
        assert "errors" not in body, body
        return body["data"]["orgOverview"]

    async def uncached(self) -> dict:
        CACHE.clear()
        return await self()


async def test_an_unchanged_overview_is_served_again_with_one_statement(gql, desk, org, platform, stub_worker):
    await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
    await settle(platform, stub_worker)
    CACHE.clear()
    first, sent_first = await compiled_statements(platform, org, COMPILED)
    again, sent_again = await compiled_statements(platform, org, COMPILED)
    assert (CACHE.misses, CACHE.hits) == (1, 1)
    assert again == first and first["data"]["orgOverview"]["totals"]["received"] == 1
    assert (sent_first, sent_again) == (2, 1), "the version, then the answer; then the version only"
    # The strawberry path keeps its objects the same way: one statement while nothing changed.
    made = await statements_of(platform, org, STRAWBERRY)
    assert (made, await statements_of(platform, org, STRAWBERRY)) == (2, 1)
    assert (CACHE.misses, CACHE.hits) == (2, 2)


async def test_every_change_gives_a_fresh_answer_equal_to_an_uncached_one(gql, desk, org, owner_engine, platform, stub_worker):
    admin = await gql.login(org)
    for query, weights in ((COMPILED, {"r": 5, "s": 45}), (STRAWBERRY, {"r": 40, "s": 10})):
        CACHE.clear()
        hq = Viewer(gql, admin, query)
        await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
        await settle(platform, stub_worker)
        await sweep(platform)
        before = await hq()
        assert await hq() == before and CACHE.hits == 1

        async def fresh(changed: str, hq: Viewer = hq) -> dict:
            misses = CACHE.misses
            answer = await hq()
            assert CACHE.misses == misses + 1, f"{changed}: the kept answer was served"
            assert answer == await hq.uncached(), changed
            return answer

        # A new case, through the outbox consumers.
        c = (await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1]))["data"]["registerCase"]["case"]["id"]
        await settle(platform, stub_worker)
        after_case = await fresh("a new case")
        assert after_case["totals"]["received"] == before["totals"]["received"] + 1
        # A rollup change: the case cancelled is no longer open.
        await run(gql, desk["sup"][1], "cancelCase", c, ", reason: $r", r=("String!", "重复"))
        await settle(platform, stub_worker)
        assert (await fresh("a cancellation"))["open"] == after_case["open"] - 1
        # A rollup row changed behind the consumers' back, then the rebuild putting it right.
        async with owner_engine.begin() as conn:
            await conn.execute(text("UPDATE kpi_project_month SET received = received + 5 WHERE org_id = :o"), {"o": org.org_id})
        assert (await fresh("a rollup row"))["totals"]["received"] == after_case["totals"]["received"] + 5
        async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
            await rebuild(conn)
        assert (await fresh("a rebuild"))["totals"]["received"] == after_case["totals"]["received"]
        # The weights, then the evaluation the sweep stores with them.
        scored = await hq()
        assert (await gql(WEIGHTS, weights, token=admin))["data"]["setKpiWeights"]["errors"] == []
        await fresh("the weights")
        await sweep(platform)
        rescored = await fresh("the evaluation")
        assert rescored["scoredAt"] > scored["scoredAt"], "the evaluation was stored again with the new weights"
        # An alert, and a project renamed.
        async with owner_engine.begin() as conn:
            await conn.execute(text("INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) "
                                    "VALUES (:o, :p, 'risk_words', :k, 'red', '风险词', '媒体', '{}')"),
                               {"o": org.org_id, "p": org.projects["P1"], "k": f"case:{uuid.uuid4()}"})
        assert (await fresh("an alert"))["alerts"]["red"] == rescored["alerts"]["red"] + 1
        async with owner_engine.begin() as conn:
            await conn.execute(text("UPDATE projects SET name = :n WHERE id = :p"), {"n": f"改名{query[:1]}", "p": org.projects["P2"]})
        assert [p["project"]["name"] for p in (await fresh("a project"))["projects"]][1].startswith("改名")


async def test_a_transaction_bumps_its_company_once_and_only_what_the_overview_reads(owner_engine, org, other_org):
    start, theirs = await version(owner_engine, org), await version(owner_engine, other_org)
    month = date.today().replace(day=1)
    async with owner_engine.begin() as conn:  # many rows, two tables: one bump
        for p in org.projects.values():
            await conn.execute(text("INSERT INTO kpi_project_month (org_id, project_id, month, received) VALUES (:o, :p, :m, 1)"),
                               {"o": org.org_id, "p": p, "m": month})
            await conn.execute(text("INSERT INTO kpi_project_live (org_id, project_id, open) VALUES (:o, :p, 1) "
                                    "ON CONFLICT (org_id, project_id) DO UPDATE SET open = 1"), {"o": org.org_id, "p": p})
    assert (await version(owner_engine, org), await version(owner_engine, other_org)) == (start + 1, theirs)
    async with owner_engine.begin() as conn:  # a day bucket is not read by the overview
        await conn.execute(text("INSERT INTO kpi_project_day (org_id, project_id, day, received) VALUES (:o, :p, current_date, 1)"),
                           {"o": org.org_id, "p": org.projects["P1"]})
    assert await version(owner_engine, org) == start + 1
    async with owner_engine.begin() as conn:  # rolled back: no bump either
        await conn.execute(text("UPDATE kpi_project_month SET received = 9 WHERE org_id = :o"), {"o": org.org_id})
        await conn.rollback()
    assert await version(owner_engine, org) == start + 1


async def test_two_companies_never_share_a_kept_answer(gql, desk, org, other_org, platform, stub_worker):
    await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
    await settle(platform, stub_worker)
    CACHE.clear()
    ours, theirs = Viewer(gql, await gql.login(org)), Viewer(gql, await gql.login(other_org))
    for _ in range(2):  # the second round is served from the kept answers
        a, b = await ours(), await theirs()
        assert a["totals"]["received"] == 1 and b["totals"]["received"] == 0
        assert {p["project"]["id"] for p in a["projects"]}.isdisjoint({p["project"]["id"] for p in b["projects"]})
    assert (CACHE.misses, CACHE.hits) == (2, 2)


async def test_callers_with_different_projects_never_share_a_kept_answer(gql, desk, org, owner_engine, platform, stub_worker):
    await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
    await settle(platform, stub_worker)
    await sweep(platform)
    for username, project in (("pm1", "P1"), ("pm2", "P2")):
        await add_user(owner_engine, org, username, "project_manager", project)
    tokens = {"hq": await gql.login(org), "pm1": await gql.login(org, "pm1"), "pm2": await gql.login(org, "pm2")}
    for query in (COMPILED, STRAWBERRY):
        CACHE.clear()
        answers: dict[str, list[dict]] = {name: [] for name in tokens}
        for _ in range(2):
            for name, token in tokens.items():
                answers[name].append(await Viewer(gql, token, query)())
        assert (CACHE.misses, CACHE.hits) == (3, 3)
        for name, (made, kept) in answers.items():
            assert made == kept, name
        hq, pm1, pm2 = answers["hq"][0], answers["pm1"][0], answers["pm2"][0]
        assert [p["project"]["code"] for p in hq["projects"]] == ["P1", "P2"]
        assert [p["project"]["code"] for p in pm1["projects"]] == ["P1"] and pm1["totals"]["received"] == 1
        assert [p["project"]["code"] for p in pm2["projects"]] == ["P2"] and pm2["totals"]["received"] == 0
        # Rank and standard score are for headquarters only.
        assert hq["projects"][0]["rank"] == 1 and pm1["projects"][0]["rank"] is None


async def test_the_differential_document_is_kept_on_both_paths_alike(gql, org, client, platform):
    """The full document, asked twice on the compiled path and twice on strawberry: kept answers
    equal to the ones made (the differential test itself is in test_org_overview.py)."""
    import httpx

    from api.app import create_app

    admin = await gql.login(org)
    slow_app = create_app(platform, None, instrument=False, compiled=False)
    CACHE.clear()
    body, headers = {"query": FULL_OVERVIEW, "variables": {}}, {"authorization": f"Bearer {admin}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=slow_app), base_url="http://test") as slow:
        texts = [(await client.post("/graphql", json=body, headers=headers)).text for _ in range(2)]
        texts += [(await slow.post("/graphql", json=body, headers=headers)).text for _ in range(2)]
    assert (CACHE.misses, CACHE.hits) == (2, 2)
    parsed = [json.loads(t, object_pairs_hook=list) for t in texts]
    assert parsed[0] == parsed[1] == parsed[2] == parsed[3] and "errors" not in texts[0]


async def test_answers_of_older_versions_are_replaced_not_kept(gql, desk, org, owner_engine, platform, stub_worker):
    """Every write bumps the company's version; the answer kept for the previous one is replaced,
    so the entries stay one per question however many cases are registered (keyed by version
    too, they grew by one per write until the 64 MB budget: the soak's steady growth)."""
    CACHE.clear()
    seen = set()
    for _ in range(5):
        await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
        await settle(platform, stub_worker)
        seen.add(await version(owner_engine, org))
        await compiled_statements(platform, org, COMPILED)
        await statements_of(platform, org, STRAWBERRY)
    assert len(seen) == 5, "each registration moved the version"
    assert len(CACHE) == 2, "one entry for the compiled answer, one for strawberry's objects"


async def test_a_reader_of_an_older_version_is_not_served_the_newer_answer():
    from api.graphql.overview_cache import OverviewCache

    cache = OverviewCache()

    async def made(value: str):
        return value

    assert (await cache.remembered("q", 1, lambda: made("v1"), len)).value == "v1"
    assert (await cache.remembered("q", 2, lambda: made("v2"), len)).value == "v2"
    # A slow reader of version 1: made for it, but the newer answer stays kept.
    assert (await cache.remembered("q", 1, lambda: made("older"), len)).value == "older"
    assert (await cache.remembered("q", 2, lambda: made("no"), len)).value == "v2"
    assert len(cache) == 1 and (cache.misses, cache.hits) == (3, 1)
