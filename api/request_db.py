"""The read transaction of one GraphQL request: opened on first use with the caller's tenant
scope, shared by every resolver and dataloader of the request, closed when the request ends.
Resolvers run concurrently, so access to the one connection is serialised."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Row, TextClause
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.reads import Record
from tenants import direct
from tenants.context import TenantScope
from tenants.direct import positional
from tenants.platform import Platform

log = logging.getLogger("firstcall.http")
T = TypeVar("T")


class RequestClosed(RuntimeError):
    """A statement was started after the request's reads ended: a resolver outlived its request."""


def _observed(task: asyncio.Task) -> None:
    # The resolver that started a statement may have been cancelled and never look at its
    # outcome; a failure is still reported to it when it does, so nothing is lost here.
    if not task.cancelled():
        task.exception()


async def _status(conn: AsyncConnection, sql: str) -> str:
    driver = (await conn.get_raw_connection()).driver_connection
    return await driver.execute(sql)  # type: ignore[no-any-return]


class RequestDb:
    def __init__(self, platform: Platform, scope: TenantScope | None) -> None:
        self._platform = platform
        self._scope = scope
        self._lock = asyncio.Lock()
        self._cm: AbstractAsyncContextManager[AsyncConnection] | None = None
        self._conn: AsyncConnection | None = None
        self._running: set[asyncio.Task] = set()
        self._closed = False
        self.statements = 0  # counted for tests and benchmarks: SQL per request

    @property
    def scope(self) -> TenantScope | None:
        """Whose rows the request's transaction sees."""
        return self._scope

    @property
    def org_id(self) -> UUID | None:
        """The caller's company, for statements that name it (a sharded database routes on it).
        None without a scope: such a statement then matches no row, as the wall would have it."""
        return self._scope.org_id if self._scope is not None else None

    def transaction(self, scope: TenantScope | None) -> AbstractAsyncContextManager[AsyncConnection]:
        """A tenant transaction for the request's change (its unit of work). Committed, its
        connection goes on as this request's read transaction if none is open yet: the payload
        read after a mutation then costs no connection and no BEGIN of its own."""
        return self._platform.transaction(scope, then=self if scope is self._scope else None)

    def wants(self) -> bool:
        return self._conn is None and not self._closed and not self._lock.locked()

    def take(self, conn: AsyncConnection, end: AbstractAsyncContextManager[AsyncConnection]) -> bool:
        if not self.wants():  # a read opened its own meanwhile
            return False
        self._conn, self._cm = conn, end
        return True

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row]:
        async def run(conn: AsyncConnection) -> list[Row]:
            return list((await conn.execute(stmt, params or {})).all())

        return await self._statement(run)

    async def records(self, stmt: TextClause, params: dict[str, Any]) -> list[Record]:
        """`all` straight through asyncpg, its rows read by attribute alike (domain/reads.py `Record`)."""
        async def run(conn: AsyncConnection) -> list[Record]:
            return [Record(r) for r in await direct.rows(conn, stmt, params)]

        return await self._statement(run)

    async def json_text(self, sql: str, params: dict[str, Any]) -> str:
        """One statement that returns one text value, straight through asyncpg: the compiled
        path's query, without SQLAlchemy's per-statement work."""
        return await self.value(sql, params)  # type: ignore[no-any-return]

    async def value(self, sql: str, params: dict[str, Any]) -> Any:
        """One statement's one value (None without a row), straight through asyncpg."""
        statement, names = positional(sql)

        async def run(conn: AsyncConnection) -> Any:
            driver = (await conn.get_raw_connection()).driver_connection
            return await driver.fetchval(statement, *(params[n] for n in names))

        return await self._statement(run)

    async def status(self, sql: str) -> str:
        """One reading statement's command tag (`SELECT 1`): a yes-or-no question answered by its
        row count. Without a transaction open yet, the statement goes with the tenant settings in
        one round trip and opens none (tenants/db.py tenant_status); inside one, it runs there."""
        if self._closed:
            raise RequestClosed("The request's read transaction has ended; no statement may start after it.")
        async with self._lock:
            if self._conn is None:
                self.statements += 1
                return await self._platform.status(self._scope, sql)
        return await self._statement(partial(_status, sql=sql))

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row | None:
        rows = await self.all(stmt, params)
        return rows[0] if rows else None

    async def _statement(self, run: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        if self._closed:
            raise RequestClosed("The request's read transaction has ended; no statement may start after it.")
        task = asyncio.ensure_future(self._serialised(run))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        task.add_done_callback(_observed)
        # Shielded: graphql-core cancels the siblings of a field that failed, and a statement
        # cancelled halfway would abort the transaction the request's other fields read in.
        return await asyncio.shield(task)

    async def _serialised(self, run: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        async with self._lock:
            if self._conn is None:
                cm = self._platform.transaction(self._scope)
                self._conn = await cm.__aenter__()
                self._cm = cm
            self.statements += 1
            try:
                return await run(self._conn)
            except Exception:
                # PostgreSQL refuses every later statement of a transaction in which one failed:
                # end it, so the next field's statement starts a fresh one (reads are READ
                # COMMITTED, each statement sees its own snapshot anyway).
                await self._end()
                raise

    async def close(self) -> None:
        """Ends the transaction once every statement already started has finished; none may
        start afterwards. Reads only, so a rollback is as good as a commit and cheaper to reason
        about: nothing a query did can outlive the request. Never raises: the answer is made."""
        self._closed = True
        while self._running:
            await asyncio.wait(list(self._running))
        async with self._lock:
            await self._end()

    async def _end(self) -> None:
        cm, self._cm, self._conn = self._cm, None, None
        if cm is None:
            return
        try:
            error = RuntimeError("read-only request")
            await cm.__aexit__(RuntimeError, error, None)
        except Exception:  # the connection broke; the pool has already discarded it
            log.warning("ending a request's read transaction failed", exc_info=True)
