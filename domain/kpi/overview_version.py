"""The company's overview version (migration 0055): a counter that every write to what
`orgOverview` reads bumps in its own transaction. One primary-key lookup under the caller's
row-level security, the company named as well (a sharded database routes on it); 0 while
nothing was ever written."""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

VERSION_SQL = "SELECT version FROM overview_versions WHERE org_id = :org"


def still_current_sql(org: UUID | None, version: int) -> str:
    """One row while the company's version is still `version`, none once it has moved: the
    question a kept answer asks, printed (a UUID and an integer) for a simple query that returns
    only its row count (tenants/db.py tenant_status). Under row-level security, as VERSION_SQL."""
    if org is None:
        return "SELECT 1 WHERE false"
    return (f"SELECT 1 WHERE coalesce((SELECT version FROM overview_versions WHERE org_id = '{UUID(str(org))}'), 0) "
            f"= {int(version)}")


class ValueReader(Protocol):
    """What the version needs of a database: one statement's one value (the request's `RequestDb`)."""

    async def value(self, sql: str, params: dict[str, Any]) -> Any: ...

    @property
    def org_id(self) -> UUID | None: ...


async def overview_version(db: ValueReader) -> int:
    version = await db.value(VERSION_SQL, {"org": db.org_id})
    return int(version) if version is not None else 0
