"""A pooled connection the server closed (PostgreSQL restarted, the backend terminated) is dropped
by the first transaction that finds it closed, so the next one gets a fresh connection — before,
the BEGIN sent past SQLAlchemy failed without the pool hearing of it, and every later request of
the process failed with "connection is closed" (found by tests/chaos/test_storm.py)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tenants.context import TenantScope
from tenants.db import make_app_engine, tenant_transaction
from tenants.settings import Settings


async def test_a_connection_closed_by_the_server_is_dropped_and_the_next_transaction_works(db_urls, owner_engine, org):
    engine = make_app_engine(db_urls.app, Settings(DB_POOL_SIZE=1))
    scope = TenantScope(org.org_id, None, "test")
    try:
        async with tenant_transaction(engine, scope) as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with owner_engine.connect() as admin:
            assert (await admin.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})).scalar_one()
        await asyncio.sleep(0.2)  # the server's goodbye reaches the pooled connection
        # The one request that finds it closed fails.
        with pytest.raises((asyncpg.InterfaceError, asyncpg.exceptions.ConnectionDoesNotExistError, DBAPIError)):
            async with tenant_transaction(engine, scope) as conn:
                await conn.execute(text("SELECT 1"))
        for _ in range(3):  # the pool's one connection is a new one now, every time
            async with tenant_transaction(engine, scope) as conn:
                assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await engine.dispose()
