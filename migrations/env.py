"""Runs migrations as the owner role, over asyncpg."""

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tenants.settings import OWNER_ROLE


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


async def _main() -> None:
    engine = create_async_engine(context.config.attributes["url"])
    try:
        async with engine.connect() as conn:
            # Objects must belong to the owner role, whoever connected.
            await conn.execute(text(f"SET ROLE {OWNER_ROLE}"))
            # Several migrators may start together (replicas, test workers): one at a time.
            await conn.execute(text("SELECT pg_advisory_lock(874120002)"))
            await conn.commit()
            await conn.run_sync(_run)
            await conn.commit()
    finally:
        # The lock is the session's: a failed migration's connection must close, not go back to
        # the pool still holding it (the next migrator in this process would wait for ever).
        await engine.dispose()


asyncio.run(_main())
