"""What read models need of a database — the request's `RequestDb` or a worker's connection —
and the row type they answer with, so the API can shape rows without knowing SQLAlchemy."""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Row, TextClause
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["ConnectionReader", "Reader", "Row"]


class Reader(Protocol):
    """What the read models need of a database: the request's `RequestDb` or a worker's connection."""

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row[Any]]: ...

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row[Any] | None: ...

    @property
    def org_id(self) -> UUID | None:
        """The company the reads are for: statements name it as `org_id = :org`, so a sharded
        database sends them to that company's shard (row-level security still walls them)."""
        ...


class ConnectionReader:
    """A `Reader` over a connection whose transaction someone else owns."""

    def __init__(self, conn: AsyncConnection, org_id: UUID | None = None) -> None:
        self.conn = conn
        self._org_id = org_id

    @property
    def org_id(self) -> UUID | None:
        if self._org_id is None:
            raise RuntimeError("This read names its company: make the ConnectionReader with org_id.")
        return self._org_id

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row[Any]]:
        return list((await self.conn.execute(stmt, params or {})).all())

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row[Any] | None:
        rows = await self.all(stmt, params)
        return rows[0] if rows else None
