"""A committed tenant transaction whose connection goes on as the request's reads (tenants/db.py
`then`, api/request_db.py): the change is committed before the reads begin, the reads run under
the same tenant settings, and a handover refused or not wanted leaves nothing open."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from api.request_db import RequestDb
from tenants.context import TenantScope

_NOTE = text("INSERT INTO idempotency_keys (org_id, principal, key, operation, request_hash) VALUES (:o, 'test', :k, 'x', '\\x00')")
_SEEN = text("SELECT count(*) FROM idempotency_keys WHERE org_id = :o AND key = :k")


class Taker:
    def __init__(self, *, wants: bool = True, takes: bool = True) -> None:
        self._wants, self._takes = wants, takes
        self.taken: tuple[AsyncConnection, AbstractAsyncContextManager[AsyncConnection]] | None = None

    def wants(self) -> bool:
        return self._wants

    def take(self, conn: AsyncConnection, end: AbstractAsyncContextManager[AsyncConnection]) -> bool:
        if self._takes:
            self.taken = (conn, end)
        return self._takes


async def _seen_elsewhere(owner_engine, org_id: uuid.UUID, key: str) -> int:
    async with owner_engine.connect() as conn:
        return (await conn.execute(_SEEN, {"o": org_id, "k": key})).scalar_one()


async def test_the_taken_connection_reads_after_the_commit_under_the_same_settings(platform, org, other_org, owner_engine):
    scope, key, taker = TenantScope(org.org_id, None, "test"), uuid.uuid4().hex, Taker()
    async with platform.transaction(scope, then=taker) as conn:
        await conn.execute(_NOTE, {"o": org.org_id, "k": key})
    assert taker.taken is not None
    conn, end = taker.taken
    assert await _seen_elsewhere(owner_engine, org.org_id, key) == 1  # committed before the reads
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver.is_in_transaction()
    assert await driver.fetchval("SELECT current_setting('app.org_id')") == str(org.org_id)
    # The wall stands in the reads: the other company's rows stay out of sight.
    assert await driver.fetchval("SELECT count(*) FROM projects WHERE org_id = $1", other_org.org_id) == 0
    assert await driver.fetchval("SELECT count(*) FROM projects WHERE org_id = $1", org.org_id) == len(org.projects)
    await end.__aexit__(None, None, None)
    assert not driver.is_in_transaction()


@pytest.mark.parametrize("taker", [Taker(wants=False), Taker(takes=False)], ids=["not wanted", "refused"])
async def test_a_handover_not_made_commits_and_leaves_nothing_open(platform, org, owner_engine, taker):
    key = uuid.uuid4().hex
    async with platform.transaction(TenantScope(org.org_id, None, "test"), then=taker) as conn:
        await conn.execute(_NOTE, {"o": org.org_id, "k": key})
        driver = (await conn.get_raw_connection()).driver_connection
    assert taker.taken is None
    assert not driver.is_in_transaction()
    assert await _seen_elsewhere(owner_engine, org.org_id, key) == 1


async def test_a_failed_change_is_rolled_back_and_not_handed_over(platform, org, owner_engine):
    key, taker = uuid.uuid4().hex, Taker()
    with pytest.raises(RuntimeError):
        async with platform.transaction(TenantScope(org.org_id, None, "test"), then=taker) as conn:
            await conn.execute(_NOTE, {"o": org.org_id, "k": key})
            raise RuntimeError("refused")
    assert taker.taken is None
    assert await _seen_elsewhere(owner_engine, org.org_id, key) == 0


async def test_a_request_takes_its_change_s_connection_for_its_reads_only_when_it_has_none(platform, org, owner_engine):
    scope = TenantScope(org.org_id, None, "test")
    db = RequestDb(platform, scope)
    try:
        key = uuid.uuid4().hex
        async with db.transaction(scope) as conn:
            await conn.execute(_NOTE, {"o": org.org_id, "k": key})
        assert await db.all(_SEEN, {"o": org.org_id, "k": key}) == [(1,)]
        async with db.transaction(scope) as second:  # the request's reads are open now: a change of its own
            assert second is not conn
    finally:
        await db.close()
    narrower = TenantScope(org.org_id, frozenset({org.projects["P1"]}), "test")
    db = RequestDb(platform, scope)
    try:
        async with db.transaction(narrower):  # another scope than the reads': never handed over
            pass
        assert db.wants()  # still without a read transaction
    finally:
        await db.close()
