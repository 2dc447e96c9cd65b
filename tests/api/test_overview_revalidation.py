"""A kept overview's cheap paths (api/graphql/overview_cache.py, api/graphql/view.py): the version
asked in one round trip with the tenant settings, and the answer's ETag, which a caller sends back
in If-None-Match for a 304 with no body. A tag is one caller's: another company, a project-scoped
caller of the same company or an HQ caller with other grants never gets a 304 for it, and the
version check sees only the caller's company."""

from __future__ import annotations

from sqlalchemy import text

from api.graphql.overview_cache import CACHE
from domain.kpi.overview_version import still_current_sql
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import settle
from tests.api.test_overview_cache import COMPILED, version
from tests.conftest import add_user


async def ask(client, token: str, tag: str | None = None, query: str = COMPILED):
    headers = {"authorization": f"Bearer {token}"}
    if tag is not None:
        headers["if-none-match"] = tag
    return await client.post("/graphql", json={"query": query}, headers=headers)


async def bump(owner_engine, org) -> None:
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO overview_versions (org_id, version) VALUES (:o, 1) "
                                "ON CONFLICT (org_id) DO UPDATE SET version = overview_versions.version + 1"), {"o": org.org_id})


async def test_a_kept_overview_is_revalidated_with_its_tag(client, gql, org, owner_engine):
    admin = await gql.login(org)
    CACHE.clear()
    made = await ask(client, admin)
    tag = made.headers["etag"]
    assert made.status_code == 200 and "errors" not in made.json() and made.headers["cache-control"] == "private, no-cache"
    kept = await ask(client, admin)
    assert (kept.status_code, kept.content, kept.headers["etag"]) == (200, made.content, tag)
    unchanged = await ask(client, admin, tag)
    assert (unchanged.status_code, unchanged.content, unchanged.headers["etag"]) == (304, b"", tag)
    assert (await ask(client, admin, f'"other", W/{tag}')).status_code == 304, "a list of tags, one of them weak"
    assert (CACHE.misses, CACHE.hits) == (1, 3)
    # The company's overview changed: the old tag no longer holds.
    await bump(owner_engine, org)
    changed = await ask(client, admin, tag)
    assert changed.status_code == 200 and changed.headers["etag"] != tag and changed.content == made.content
    assert CACHE.misses == 2
    # A document with another field than the overview has no tag.
    mixed = await ask(client, admin, query="{ orgOverview { open } viewer { kind } }")
    assert mixed.status_code == 200 and "etag" not in mixed.headers


async def test_a_tag_is_never_honoured_for_another_caller(client, gql, desk, org, other_org, owner_engine, platform, stub_worker):
    await gql(REGISTER, {"i": case_input(desk)}, token=desk["agent"][1])
    await settle(platform, stub_worker)
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    await add_user(owner_engine, org, "hq2", "hq_supervisor", None)
    tokens = {"hq": await gql.login(org), "theirs": await gql.login(other_org), "pm2": await gql.login(org, "pm2"),
              "hq2": await gql.login(org, "hq2")}
    CACHE.clear()
    ours = await ask(client, tokens["hq"])
    tag = ours.headers["etag"]
    assert (await ask(client, tokens["hq"], tag)).status_code == 304
    answers = {}
    for name in ("theirs", "pm2", "hq2"):
        for _ in range(2):  # made, then kept: neither answers the HQ caller's tag
            r = await ask(client, tokens[name], tag)
            assert r.status_code == 200 and r.headers["etag"] != tag, name
            answers[name] = r.json()["data"]["orgOverview"]
    assert answers["theirs"]["totals"]["received"] == 0
    assert {p["project"]["id"] for p in answers["theirs"]["projects"]}.isdisjoint(
        {p["project"]["id"] for p in ours.json()["data"]["orgOverview"]["projects"]})
    assert [p["project"]["code"] for p in answers["pm2"]["projects"]] == ["P2"] and answers["pm2"]["totals"]["received"] == 0
    # Same scope, other grants: the same kept answer, its own tag.
    assert answers["hq2"] == ours.json()["data"]["orgOverview"]


async def test_the_one_round_trip_check_sees_only_the_callers_company(org, other_org, owner_engine, platform):
    await bump(owner_engine, org)
    ours = await version(owner_engine, org)
    question = still_current_sql(org.org_id, ours)
    assert await platform.status(TenantScope(org.org_id, None, "test"), question) == "SELECT 1"
    assert await platform.status(TenantScope(org.org_id, None, "test"), still_current_sql(org.org_id, ours - 1)) == "SELECT 0"
    # Another company's wall hides the row: the question about our version is never answered yes.
    assert await platform.status(TenantScope(other_org.org_id, None, "test"), question) == "SELECT 0"
    # The settings lasted only for the statement: the pooled connection keeps none of them.
    async with platform.engine.connect() as conn:
        assert (await conn.execute(text("SELECT current_setting('app.org_id', true)"))).scalar() in ("", None)


async def test_an_answer_too_large_to_keep_still_has_a_tag_that_follows_the_version(client, gql, org, owner_engine, monkeypatch):
    admin = await gql.login(org)
    CACHE.clear()
    monkeypatch.setattr(CACHE, "budget", 10)  # nothing is kept: every request makes its answer
    tag = (await ask(client, admin)).headers["etag"]
    assert (await ask(client, admin, tag)).status_code == 304 and len(CACHE) == 0
    await bump(owner_engine, org)
    changed = await ask(client, admin, tag)
    assert changed.status_code == 200 and changed.headers["etag"] != tag
