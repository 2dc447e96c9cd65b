"""The overview's versions pushed to the process (api/live/overview_versions.py, migration 0062): with
the listener up, a kept overview is served without a statement; a write in another connection is
heard within a bound and the next answer is made afresh; a lost listener forgets what it knew and
the overview asks the database again until it is back; one company's write neither moves what is
known of another nor serves one company's answer to the other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from api.graphql.overview_cache import CACHE
from api.graphql.view import app_dsn
from api.live.overview_versions import APPLICATION_NAME, VERSIONS
from tests.api.test_overview_cache import COMPILED, compiled_statements, version

BOUND = 10.0  # seconds a notification or a reconnection may take on a loaded machine


async def until(condition, what: str) -> None:
    """Polls `condition` until it holds, failing after BOUND seconds."""
    async with asyncio.timeout(BOUND):
        while not condition():
            await asyncio.sleep(0.01)
    assert condition(), what


@pytest.fixture
async def watch(platform) -> AsyncIterator[None]:
    VERSIONS.start(app_dsn(platform))
    await until(lambda: VERSIONS.listening, "the listener subscribed")
    yield
    await VERSIONS.close()
    assert not VERSIONS.listening


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
    first, sent = await compiled_statements(platform, org, COMPILED)
    assert sent == 2, "the version, then the answer"
    again, sent_again = await compiled_statements(platform, org, COMPILED)
    assert (again, sent_again, CACHE.unasked) == (first, 0, 1)
    # A write in another connection: heard, then the next answer is made afresh.
    moved = await rename(owner_engine, org, "P1", "推送改名")
    await until(lambda: VERSIONS.current(org.org_id) == moved, "the new version heard")
    fresh, sent_fresh = await compiled_statements(platform, org, COMPILED)
    assert sent_fresh == 2 and "推送改名" in names(fresh) and "推送改名" not in names(first)
    CACHE.clear()
    uncached, _ = await compiled_statements(platform, org, COMPILED)
    assert fresh == uncached
    kept, sent_kept = await compiled_statements(platform, org, COMPILED)
    assert (kept, sent_kept) == (fresh, 0)


async def test_a_lost_listener_forgets_and_the_overview_asks_again(watch, platform, owner_engine, org):
    CACHE.clear()
    await compiled_statements(platform, org, COMPILED)
    unasked = CACHE.unasked
    await compiled_statements(platform, org, COMPILED)
    assert CACHE.unasked == unasked + 1
    mark = VERSIONS.mark()
    async with owner_engine.begin() as conn:
        killed = (await conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                          "WHERE application_name = :a AND datname = current_database()"),
                                     {"a": APPLICATION_NAME})).scalar()
    assert killed == 1
    await until(lambda: VERSIONS.current(org.org_id) is None, "the loss noticed and what was known forgotten")
    # A version read before the loss is not learned afterwards, whatever it says.
    VERSIONS.learned(org.org_id, 10**9, mark)
    assert VERSIONS.current(org.org_id) is None
    # Written while the listener may be down: the answer is still right, by asking.
    moved = await rename(owner_engine, org, "P2", "断线改名")
    while not VERSIONS.listening:
        answer, sent = await compiled_statements(platform, org, COMPILED)
        assert sent >= 1 and "断线改名" in names(answer)
        await asyncio.sleep(0.05)
    # Back and subscribed anew: the first kept answer asks once and teaches the version, then none.
    assert VERSIONS.reconnects >= 1 and VERSIONS.current(org.org_id) is None
    answer, sent = await compiled_statements(platform, org, COMPILED)
    assert sent >= 1 and "断线改名" in names(answer)
    assert VERSIONS.current(org.org_id) == moved
    again, sent_again = await compiled_statements(platform, org, COMPILED)
    assert (again, sent_again) == (answer, 0)


async def test_one_companys_write_leaves_anothers_kept_answer_and_never_crosses(watch, platform, owner_engine, org, other_org):
    CACHE.clear()
    ours, _ = await compiled_statements(platform, org, COMPILED)
    theirs, _ = await compiled_statements(platform, other_org, COMPILED)
    assert len(ids(ours)) == len(ids(theirs)) == 2 and ids(ours).isdisjoint(ids(theirs))
    assert (await compiled_statements(platform, org, COMPILED))[1] == 0
    known = VERSIONS.current(org.org_id)
    assert known is not None
    moved = await rename(owner_engine, other_org, "P1", "乙方改名")
    await until(lambda: VERSIONS.current(other_org.org_id) == moved, "the other company's version heard")
    # Ours: still known at the same version, served without a statement, still only our projects.
    assert VERSIONS.current(org.org_id) == known
    again, sent = await compiled_statements(platform, org, COMPILED)
    assert (again, sent) == (ours, 0) and "乙方改名" not in names(again)
    # Theirs: made afresh, with their rename and none of our projects.
    fresh, sent_theirs = await compiled_statements(platform, other_org, COMPILED)
    assert sent_theirs == 2 and "乙方改名" in names(fresh) and ids(fresh) == ids(theirs)

