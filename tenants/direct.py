"""Statements sent straight through a connection's asyncpg driver, for the paths every request of
a kind walks (a case's registration). Measured here (bench/intake_profile.py), SQLAlchemy's own
work around a statement — the hop into its greenlet, the compiled-cache lookup, the result's
metadata — cost ~150 µs of CPU a statement, against ~45 µs for the statement itself through the
driver. The statements stay `text()` clauses, their `:name` parameters numbered for asyncpg, on
the same connection and in the same transaction; the driver's type codecs are the ones SQLAlchemy
set up on it, so values go and come back alike. A database refusal is raised as SQLAlchemy's
`DBAPIError` with the driver's error as `orig`, as `conn.execute` raises it, so callers (the unit
of work's coded errors, tenants/db_errors.py) see no difference.

Rows are read by name (`row["code"]`): asyncpg records, or on the fallback SQLAlchemy's row mappings."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no annotations
from sqlalchemy import TextClause
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=1024)
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters to asyncpg's `$n`, each name numbered once."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return _PARAM.sub(number, sql), tuple(names)


def _driver(conn: AsyncConnection) -> Any:
    """The asyncpg connection, when a statement may go straight to it: on a connection in
    AUTOCOMMIT, whose transaction its opener began on the driver (tenants/db.py). Else None: a
    connection whose transaction SQLAlchemy begins on its first statement (the owner's engine)
    must see that statement, or it would run outside the transaction."""
    # Checked out, so the pooled DBAPI connection is at hand without I/O.
    pooled = conn.sync_connection.connection  # type: ignore[union-attr]
    return pooled.driver_connection if pooled.dbapi_connection.autocommit else None  # type: ignore[union-attr]


_REFUSALS = (asyncpg.PostgresError, asyncpg.InterfaceError)


async def _send(driver: Any, method: str, clause: TextClause, params: dict[str, Any]) -> Any:
    """`method` (fetch, fetchrow, fetchval, execute) of the driver, a refusal raised as SQLAlchemy raises it."""
    statement, names = positional(clause.text)
    try:
        return await getattr(driver, method)(statement, *(params[n] for n in names))
    except _REFUSALS as e:
        raise DBAPIError(clause.text, None, e, hide_parameters=True) from e


async def rows(conn: AsyncConnection, clause: TextClause, params: dict[str, Any]) -> list[Any]:
    if (driver := _driver(conn)) is None:
        return [r._mapping for r in await conn.execute(clause, params)]
    found: list[Any] = await _send(driver, "fetch", clause, params)
    return found


async def first(conn: AsyncConnection, clause: TextClause, params: dict[str, Any]) -> Any:
    """The first row, or None."""
    if (driver := _driver(conn)) is None:
        row = (await conn.execute(clause, params)).first()
        return None if row is None else row._mapping
    return await _send(driver, "fetchrow", clause, params)


async def scalar(conn: AsyncConnection, clause: TextClause, params: dict[str, Any]) -> Any:
    """The first row's first value, or None without a row."""
    if (driver := _driver(conn)) is None:
        return (await conn.execute(clause, params)).scalar()
    return await _send(driver, "fetchval", clause, params)


async def run(conn: AsyncConnection, clause: TextClause, params: dict[str, Any]) -> None:
    """A statement whose rows, if any, nobody reads."""
    if (driver := _driver(conn)) is None:
        await conn.execute(clause, params)
        return
    await _send(driver, "execute", clause, params)
