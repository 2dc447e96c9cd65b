"""The overview's versions pushed to the process (api/live/overview_versions.py, migration 0062): with
the listener up, a kept overview is served without a statement; a write in another connection is
heard within a bound and the next answer is made afresh; a lost listener forgets what it knew and
the overview asks the database again until it is back; one company's write neither moves what is
known of another nor serves one company's answer to the other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from starlette.routing import Route

from api.app import create_app
from api.graphql.overview_cache import CACHE
from api.graphql.view import app_dsn
from api.live.overview_versions import APPLICATION_NAME, VersionWatch
from tenants.platform import Platform
from tests.api.test_overview_cache import COMPILED, compiled_statements, version
from tests.conftest import Gql

BOUND = 10.0  # seconds a notification or a reconnection may take on a loaded machine


async def until(condition, what: str) -> None:
    """Polls `condition` until it holds, failing after BOUND seconds."""
    async with asyncio.timeout(BOUND):
        while not condition():
            await asyncio.sleep(0.01)
    assert condition(), what


@pytest.fixture
async def watch(platform) -> AsyncIterator[VersionWatch]:
    versions = VersionWatch()
    versions.start(app_dsn(platform))
    await until(lambda: versions.listening, "the listener subscribed")
    yield versions
    await versions.close()
    assert not versions.listening


async def asked(platform, versions: VersionWatch, org) -> tuple[dict, int]:
    """The compiled overview as the company's admin, in an application whose versions are
    `versions`, and the SQL statements it sent."""
    return await compiled_statements(platform, org, COMPILED, versions)


async def rename(owner_engine, org, code: str, name: str) -> int:
    """A project renamed in the owner's own connection (it bumps the company's version); the new version."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE projects SET name = :n WHERE id = :p"), {"n": name, "p": org.projects[code]})
    return await version(owner_engine, org)


def names(answer: dict) -> set[str]:
    return {p["project"]["name"] for p in answer["data"]["orgOverview"]["projects"]}


def ids(answer: dict) -> set[str]:
    return {p["project"]["id"] for p in answer["data"]["orgOverview"]["projects"]}


async def test_a_kept_overview_is_served_without_a_statement_until_a_write_is_heard(watch, platform, owner_engine, org):
    CACHE.clear()
    first, sent = await asked(platform, watch, org)
    assert sent == 2, "the version, then the answer"
    again, sent_again = await asked(platform, watch, org)
    assert (again, sent_again, CACHE.unasked) == (first, 0, 1)
    # A write in another connection: heard, then the next answer is made afresh.
    moved = await rename(owner_engine, org, "P1", "推送改名")
    await until(lambda: watch.current(org.org_id) == moved, "the new version heard")
    fresh, sent_fresh = await asked(platform, watch, org)
    assert sent_fresh == 2 and "推送改名" in names(fresh) and "推送改名" not in names(first)
    CACHE.clear()
    uncached, _ = await asked(platform, watch, org)
    assert fresh == uncached
    kept, sent_kept = await asked(platform, watch, org)
    assert (kept, sent_kept) == (fresh, 0)


async def test_a_lost_listener_forgets_and_the_overview_asks_again(watch, platform, owner_engine, org):
    CACHE.clear()
    await asked(platform, watch, org)
    unasked = CACHE.unasked
    await asked(platform, watch, org)
    assert CACHE.unasked == unasked + 1
    mark = watch.mark()
    async with owner_engine.begin() as conn:
        killed = (await conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                          "WHERE application_name = :a AND datname = current_database()"),
                                     {"a": APPLICATION_NAME})).scalar()
    assert killed == 1
    await until(lambda: watch.current(org.org_id) is None, "the loss noticed and what was known forgotten")
    # A version read before the loss is not learned afterwards, whatever it says.
    watch.learned(org.org_id, 10**9, mark)
    assert watch.current(org.org_id) is None
    # Written while the listener may be down: the answer is still right, by asking.
    moved = await rename(owner_engine, org, "P2", "断线改名")
    while not watch.listening:
        answer, sent = await asked(platform, watch, org)
        assert sent >= 1 and "断线改名" in names(answer)
        await asyncio.sleep(0.05)
    # Back and subscribed anew: the first kept answer asks once and teaches the version, then none.
    assert watch.reconnects >= 1 and watch.current(org.org_id) is None
    answer, sent = await asked(platform, watch, org)
    assert sent >= 1 and "断线改名" in names(answer)
    assert watch.current(org.org_id) == moved
    again, sent_again = await asked(platform, watch, org)
    assert (again, sent_again) == (answer, 0)


async def test_one_companys_write_leaves_anothers_kept_answer_and_never_crosses(watch, platform, owner_engine, org, other_org):
    CACHE.clear()
    ours, _ = await asked(platform, watch, org)
    theirs, _ = await asked(platform, watch, other_org)
    assert len(ids(ours)) == len(ids(theirs)) == 2 and ids(ours).isdisjoint(ids(theirs))
    assert (await asked(platform, watch, org))[1] == 0
    known = watch.current(org.org_id)
    assert known is not None
    moved = await rename(owner_engine, other_org, "P1", "乙方改名")
    await until(lambda: watch.current(other_org.org_id) == moved, "the other company's version heard")
    # Ours: still known at the same version, served without a statement, still only our projects.
    assert watch.current(org.org_id) == known
    again, sent = await asked(platform, watch, org)
    assert (again, sent) == (ours, 0) and "乙方改名" not in names(again)
    # Theirs: made afresh, with their rename and none of our projects.
    fresh, sent_theirs = await asked(platform, watch, other_org)
    assert sent_theirs == 2 and "乙方改名" in names(fresh) and ids(fresh) == ids(theirs)



async def kept_twice(app, org) -> tuple[int, int, int]:
    """The overview asked twice through `app` as the company's admin: the cache's misses, hits and
    answers served without asking the database."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        gql = Gql(client)
        token = await gql.login(org)
        CACHE.clear()
        first = await gql(COMPILED, token=token)
        assert "errors" not in first and (await gql(COMPILED, token=token)) == first
    return CACHE.misses, CACHE.hits, CACHE.unasked


def graphql_view(app):
    return next(r.endpoint for r in app.routes if isinstance(r, Route) and r.path == "/graphql")


async def test_the_applications_lifespan_listens_for_its_overviews(platform, org):
    app = create_app(platform, None, instrument=False)
    view = graphql_view(app)
    assert not view.versions.listening
    async with app.router.lifespan_context(app):
        await until(lambda: view.versions.listening, "the application's listener subscribed")
        assert await kept_twice(app, org) == (1, 1, 1)
    assert not view.versions.listening


async def test_with_the_push_off_the_application_never_listens_and_every_kept_overview_asks(settings, db_urls, org):
    """FIRSTCALL_OVERVIEW_PUSH=false (a database whose NOTIFY may not reach the API: Citus)."""
    platform = Platform.create(settings.model_copy(update={"overview_push": False}), db_urls)
    app = create_app(platform, None, instrument=False)
    async with app.router.lifespan_context(app):
        await asyncio.sleep(0.5)  # time enough for a listener, had one been started, to subscribe
        assert await kept_twice(app, org) == (1, 1, 0)
        assert not graphql_view(app).versions.listening
