"""What read models need of a database — the request's `RequestDb` or a worker's connection —
and the row type they answer with, so the API can shape rows without knowing SQLAlchemy."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Row, TextClause
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["ConnectionReader", "Reader", "Row"]


class Reader(Protocol):
    """What the read models need of a database: the request's `RequestDb` or a worker's connection."""

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row[Any]]: ...

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row[Any] | None: ...


class ConnectionReader:
    """A `Reader` over a connection whose transaction someone else owns."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row[Any]]:
        return list((await self.conn.execute(stmt, params or {})).all())

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row[Any] | None:
        rows = await self.all(stmt, params)
        return rows[0] if rows else None
