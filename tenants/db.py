"""Database engines and the tenant transaction.

Two engines: the owner's (migrations, provisioning of organizations) and the application
role's (everything else). Every application transaction begins with the tenant settings in the
same round trip as BEGIN, so row-level security sees them before the first query runs."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no annotations
from sqlalchemy import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from tenants.context import TenantScope
from tenants.settings import APP_ROLE, RESIDENT_ROLE, Settings

if TYPE_CHECKING:
    from pgserver.postgres_server import PostgresServer

EMBEDDED_DB = "firstcall"


def _asyncpg_url(url: str | URL) -> URL:
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"):
        u = u.set(drivername="postgresql+asyncpg")
    return u


@dataclass(frozen=True)
class DatabaseUrls:
    owner: URL
    app: URL


_embedded: list[PostgresServer] = []  # servers this process started or joined


def start_embedded(data_dir: Path) -> URL:
    """Start (or reuse) the embedded PostgreSQL under ``data_dir/pg`` and return an owner URL."""
    from pgserver.postgres_server import get_server  # heavy import; only the embedded mode needs it

    pg_dir = (data_dir / "pg").resolve()
    pg_dir.mkdir(parents=True, exist_ok=True)
    _check_data_version(pg_dir)
    server = get_server(pg_dir, cleanup_mode="stop")
    _embedded.append(server)
    _forget_dead_holders(server)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DB}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DB};")
    return make_url(f"postgresql+asyncpg://postgres@/{EMBEDDED_DB}?host={pg_dir}")


EMBEDDED_MAJOR = "18"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded database cannot start; the message says what to do."""


def _check_data_version(pg_dir: Path) -> None:
    """A data folder made by another PostgreSQL major cannot be opened: say so plainly."""
    version_file = pg_dir / "PG_VERSION"
    if version_file.exists() and version_file.read_text().strip() != EMBEDDED_MAJOR:
        raise EmbeddedDatabaseError(
            f"{pg_dir} was created by PostgreSQL {version_file.read_text().strip()}; the embedded server is "
            f"PostgreSQL {EMBEDDED_MAJOR}. Remove that folder to start over (the demo data is re-seeded)."
        )


def stop_embedded() -> None:
    """Release the embedded server (it stops when no other process holds it). Called on shutdown
    explicitly: uvicorn re-raises SIGTERM after a graceful exit, so atexit hooks never run."""
    while _embedded:
        server = _embedded.pop()
        _forget_dead_holders(server)
        server.cleanup()


def _forget_dead_holders(server: PostgresServer) -> None:
    """pgserver stops the server when its last holder lets go, but never forgets a holder that
    was killed; without this, one kill -9 keeps the server running for good."""
    import psutil

    with server._lock:
        holders = server.global_process_id_list.get()
        server.global_process_id_list.put([pid for pid in holders if psutil.pid_exists(pid)])


def resolve_urls(settings: Settings) -> DatabaseUrls:
    owner = _asyncpg_url(settings.database_url) if settings.database_url else start_embedded(settings.data_dir)
    if settings.app_database_url:
        app = _asyncpg_url(settings.app_database_url)
    else:
        app = owner.set(username=APP_ROLE, password=settings.app_db_password.get_secret_value())
    return DatabaseUrls(owner=owner, app=app)


def make_app_engine(url: URL, settings: Settings) -> AsyncEngine:
    # AUTOCOMMIT at the driver: tenant_transaction issues BEGIN itself, together with the
    # tenant settings, to save a round trip per request.
    return create_async_engine(
        url,
        # A failed statement's message is logged with its traceback; its parameters are names,
        # notes, masked numbers and erasure's pattern of a resident's name and phone.
        hide_parameters=True,
        isolation_level="AUTOCOMMIT",
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=False,
        connect_args={"server_settings": {"application_name": "firstcall"}},
    )


def make_owner_engine(url: URL) -> AsyncEngine:
    return create_async_engine(url, pool_size=2, max_overflow=2, hide_parameters=True)


def _settings_sql(scope: TenantScope | None, statement_timeout_ms: int) -> str:
    """Kept per scope, since callers repeat: building it checks and prints every UUID of the scope
    again. A scope whose projects came as a list (not hashable) is printed afresh."""
    try:
        return _kept_settings_sql(scope, statement_timeout_ms)
    except TypeError:
        return _print_settings_sql(scope, statement_timeout_ms)


def _print_settings_sql(scope: TenantScope | None, statement_timeout_ms: int) -> str:
    resident = ""
    if scope is None:  # no tenant: every policy reads '' and shows nothing
        org, projects, actor = "", "", "anonymous"
    else:
        org, projects, actor = scope.setting_values()
        resident = scope.resident_setting()
    # A resident's transaction runs as the resident role; LOCAL, so COMMIT or ROLLBACK gives the
    # pooled connection back as the application role.
    role = f"SET LOCAL ROLE {RESIDENT_ROLE}; " if resident else ""
    return (
        f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}; "
        f"{role}"
        f"SELECT set_config('app.org_id', '{org}', true), "
        f"set_config('app.project_ids', '{projects}', true), "
        f"set_config('app.actor', '{actor}', true), "
        f"set_config('app.resident_id', '{resident}', true)"
    )


_kept_settings_sql = functools.lru_cache(maxsize=4096)(_print_settings_sql)


class Handover(Protocol):
    """Who takes a committed tenant transaction's connection on, for reads under the same tenant
    settings (a GraphQL request's reads after its mutation: api/request_db.py)."""

    def wants(self) -> bool:
        """Whether it would take the connection now; asked before COMMIT."""

    def take(self, conn: AsyncConnection, end: AbstractAsyncContextManager[AsyncConnection]) -> bool:
        """Takes it, to end with `end.__aexit__` (a rollback), or refuses: it found another meanwhile."""


class _Reading(contextlib.AbstractAsyncContextManager[AsyncConnection]):
    """A handed-over connection's read transaction: its exit rolls back and gives the connection back."""

    def __init__(self, conn: AsyncConnection, driver: asyncpg.Connection) -> None:
        self._conn = conn
        self._driver = driver

    async def __aenter__(self) -> AsyncConnection:
        return self._conn

    async def __aexit__(self, *_exc: object) -> None:
        await _close(self._conn, self._driver, rollback=True)


async def _close(conn: AsyncConnection, driver: asyncpg.Connection, *, rollback: bool) -> None:
    try:
        if rollback:
            try:
                await driver.execute("ROLLBACK")
            except Exception:
                await conn.invalidate()
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def tenant_transaction(
    engine: AsyncEngine, scope: TenantScope | None, *, statement_timeout_ms: int = 10_000, then: Handover | None = None,
) -> AsyncIterator[AsyncConnection]:
    """One transaction with the tenant wall set; commits on success, rolls back otherwise.

    `then`: on success, if it wants, COMMIT and a new transaction with the same settings go in one
    round trip and `then` takes the connection on: the reads that follow a change (a mutation's
    payload) need no connection of their own and no BEGIN of their own."""
    conn = await engine.connect()
    try:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None  # a connection checked out of the pool is open
        if driver.is_in_transaction():  # left open by a cancelled request: never inherit it
            await driver.execute("ROLLBACK")
        await driver.execute("BEGIN; " + _settings_sql(scope, statement_timeout_ms))
    except BaseException:
        # Sent past SQLAlchemy, so a connection the server closed (a restart, a terminated
        # backend) is not recognised as gone: dropped here, or the pool hands it out again
        # for every later request until the process restarts.
        try:
            await conn.invalidate()
        finally:
            await conn.close()
        raise
    in_transaction, handed = True, False
    try:
        yield conn
        if then is not None and then.wants():
            await driver.execute("COMMIT; BEGIN; " + _settings_sql(scope, statement_timeout_ms))
            handed = then.take(conn, _Reading(conn, driver))  # else its read transaction is rolled back
        else:
            await driver.execute("COMMIT")
            in_transaction = False
    finally:
        if not handed:
            await _close(conn, driver, rollback=in_transaction)


async def tenant_status(engine: AsyncEngine, scope: TenantScope | None, sql: str, *, statement_timeout_ms: int = 10_000) -> str:
    """One reading statement under the tenant wall in one round trip, with no transaction to open
    or end: the settings and `sql` go as one simple query, which PostgreSQL runs as one implicit
    transaction — `SET LOCAL` and `set_config(…, true)` last until its end, as between BEGIN and
    ROLLBACK. Returns the statement's command tag (`SELECT 1`): the simple protocol's rows are not
    read, so a caller asks a yes-or-no question and reads the answer from the row count. `sql` is
    printed, not bound: callers print only values they made (a UUID, an integer)."""
    async with engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None  # a connection checked out of the pool is open
        try:
            if driver.is_in_transaction():  # left open by a cancelled request: never inherit it
                await driver.execute("ROLLBACK")
            status: str = await driver.execute(_settings_sql(scope, statement_timeout_ms) + "; " + sql)
            return status
        except asyncpg.PostgresError as e:
            # Refused by the server: its implicit transaction has ended, the connection is fine.
            raise DBAPIError(sql, None, e, hide_parameters=True) from e
        except BaseException:
            await conn.invalidate()  # broken or cancelled halfway: as tenant_transaction does
            raise
