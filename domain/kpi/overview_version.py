"""The company's overview version (migration 0055): a counter that every write to what
`orgOverview` reads bumps in its own transaction. One primary-key lookup under the caller's
row-level security, the company named as well (a sharded database routes on it); 0 while
nothing was ever written."""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

VERSION_SQL = "SELECT version FROM overview_versions WHERE org_id = :org"


class ValueReader(Protocol):
    """What the version needs of a database: one statement's one value (the request's `RequestDb`)."""

    async def value(self, sql: str, params: dict[str, Any]) -> Any: ...

    @property
    def org_id(self) -> UUID | None: ...


async def overview_version(db: ValueReader) -> int:
    version = await db.value(VERSION_SQL, {"org": db.org_id})
    return int(version) if version is not None else 0
