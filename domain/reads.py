"""What read models need of a database — the request's `RequestDb` or a worker's connection —
and the row type they answer with, so the API can shape rows without knowing SQLAlchemy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Row, TextClause
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants import direct

__all__ = ["ConnectionReader", "Reader", "Record", "Row"]


class Record:
    """A row read straight through the driver (`Reader.records`), read by attribute as SQLAlchemy's
    `Row` is: SQLAlchemy's work around a statement and its rows costs more than the statement
    (tenants/direct.py), and some reads run on nearly every request (a mutation's case)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


class Reader(Protocol):
    """What the read models need of a database: the request's `RequestDb` or a worker's connection."""

    async def all(self, stmt: TextClause, params: dict[str, Any] | None = None) -> list[Row[Any]]: ...

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row[Any] | None: ...

    async def records(self, stmt: TextClause, params: dict[str, Any]) -> list[Record]:
        """`all`, past SQLAlchemy where the connection allows it (tenants/direct.py)."""
        ...

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

    async def records(self, stmt: TextClause, params: dict[str, Any]) -> list[Record]:
        return [Record(r) for r in await direct.rows(self.conn, stmt, params)]

    async def first(self, stmt: TextClause, params: dict[str, Any] | None = None) -> Row[Any] | None:
        rows = await self.all(stmt, params)
        return rows[0] if rows else None
