"""The company's overview version (migration 0058): a counter that every write to what
`orgOverview` reads bumps in its own transaction. One primary-key lookup under the caller's
row-level security; 0 while nothing was ever written."""

from __future__ import annotations

from sqlalchemy import text

from domain.reads import Reader

_VERSION = text("SELECT version FROM overview_versions WHERE org_id = (SELECT app_org_id())")


async def overview_version(db: Reader) -> int:
    row = await db.first(_VERSION)
    return int(row.version) if row is not None else 0
