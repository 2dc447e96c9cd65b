"""The read transaction of one GraphQL request: opened on first use with the caller's tenant
scope, shared by every resolver and dataloader of the request, closed when the request ends.
Resolvers run concurrently, so access to the one connection is serialised."""

from __future__ import annotations

import asyncio
import re
from contextlib import AbstractAsyncContextManager
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, TextClause
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.context import TenantScope
from tenants.platform import Platform


_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=1024)
def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters to asyncpg's `$n`, each name numbered once."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return _PARAM.sub(number, sql), tuple(names)


class RequestDb:
    def __init__(self, platform: Platform, scope: TenantScope | None) -> None:
        self._platform = platform
        self._scope = scope
        self._lock = asyncio.Lock()
        self._cm: AbstractAsyncContextManager[AsyncConnection] | None = None
        self._conn: AsyncConnection | None = None
        self.statements = 0  # counted for tests and benchmarks: SQL per request

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row]:
        async with self._lock:
            if self._conn is None:
                self._cm = self._platform.transaction(self._scope)
                self._conn = await self._cm.__aenter__()
            self.statements += 1
            return list((await self._conn.execute(stmt, params or {})).all())

    async def json_text(self, sql: str, params: dict[str, Any]) -> str:
        """One statement that returns one text value, straight through asyncpg: the compiled
        path's query, without SQLAlchemy's per-statement work."""
        statement, names = _positional(sql)
        async with self._lock:
            if self._conn is None:
                self._cm = self._platform.transaction(self._scope)
                self._conn = await self._cm.__aenter__()
            self.statements += 1
            driver = (await self._conn.get_raw_connection()).driver_connection
            return await driver.fetchval(statement, *(params[n] for n in names))

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row | None:
        rows = await self.all(stmt, params)
        return rows[0] if rows else None

    async def close(self) -> None:
        """Ends the transaction. Reads only, so a rollback is as good as a commit and cheaper
        to reason about: nothing a query did can outlive the request."""
        if self._cm is not None:
            cm, self._cm, self._conn = self._cm, None, None
            await cm.__aexit__(RuntimeError, RuntimeError("read-only request"), None)
