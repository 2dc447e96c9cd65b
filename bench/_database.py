"""What the benchmarks share to set up their databases: the server (BENCH_DATABASE_URL), a fresh database with the migrations and one
company, a project in it, and the `bench_loaded` marker that lets a loaded database be reused
while it still holds the size asked for."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from domain.directory.provisioning import ProjectInput, create_organization, create_project
from migrations.runner import upgrade

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-password"


def dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def server_url() -> URL:
    return make_url(os.environ.get("BENCH_DATABASE_URL", SERVER))


async def create_database(database: str, *, slug: str, name: str, password: str = PASSWORD) -> tuple[URL, uuid.UUID, uuid.UUID]:
    """Drops and creates `database`, migrates it and creates the company: its URL (owner role), the
    company's id and its admin's (username `admin`)."""
    admin = await asyncpg.connect(dsn(server_url()))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {database}")
    finally:
        await admin.close()
    url = server_url().set(database=database)
    owner = url.set(drivername="postgresql+asyncpg")
    await asyncio.to_thread(upgrade, owner, "firstcall_app")
    engine = create_async_engine(owner)
    try:
        org_id, admin_id = await create_organization(engine, slug=slug, name=name, admin_username="admin", admin_password=password)
    finally:
        await engine.dispose()
    return url, org_id, admin_id


async def add_project(url: URL, org_id: uuid.UUID, project: ProjectInput) -> uuid.UUID:
    engine = create_async_engine(url.set(drivername="postgresql+asyncpg"))
    try:
        async with engine.begin() as c:
            return await create_project(c, org_id, "system:bench", project)
    finally:
        await engine.dispose()


async def _loaded(url: URL, measure: str, size: int) -> bool:
    try:
        conn = await asyncpg.connect(dsn(url))
    except asyncpg.InvalidCatalogNameError:
        return False
    try:
        return bool(await conn.fetchval("SELECT to_regclass('bench_loaded') IS NOT NULL")) and \
            await conn.fetchval(f"SELECT {measure} FROM bench_loaded") == size
    finally:
        await conn.close()


async def ensure_loaded(database: str, measure: str, size: int, *, slug: str, name: str,
                        load: Callable[[asyncpg.Connection, uuid.UUID], Awaitable[None]]) -> URL:
    """The URL of `database` holding `size` of `measure` (flats, residents …): reused when its marker
    says so, otherwise made again — a fresh company, `load(conn, org_id)`, VACUUM ANALYZE, the marker."""
    url = server_url().set(database=database)
    if await _loaded(url, measure, size):
        print(f"reusing {database}: {size:,} {measure}")
        return url
    url, org_id, _ = await create_database(database, slug=slug, name=name)
    conn = await asyncpg.connect(dsn(url))
    try:
        started = time.time()
        await load(conn, org_id)
        print(f"loaded in {time.time() - started:.0f} s; VACUUM ANALYZE …")
        await conn.execute("VACUUM ANALYZE")
        # The marker goes in last: a load stopped half-way is never reused.
        await conn.execute(f"CREATE TABLE bench_loaded ({measure} integer NOT NULL)")
        await conn.execute("INSERT INTO bench_loaded VALUES ($1)", size)
    finally:
        await conn.close()
    return url
