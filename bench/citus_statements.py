"""The Citus statements that distribute the database by company (docs/scaling.md), generated from a
migrated schema so that a new table cannot be forgotten: `tests/integration/test_citus_statements.py`
compares the list in docs/scaling.md with what this prints for the newest migration.

    python bench/citus_statements.py [DATABASE_URL]

Without a URL it migrates a scratch database on BENCH_DATABASE_URL's server (default the local
PostgreSQL), reads it and drops it. Rules: `organizations` is the reference table (its `slug` is
unique across companies); every other table with `org_id` is distributed by it, colocated with
`organizations`' children through `projects`, referenced tables before the tables that point at
them; `auth_throttle` (no company: counts by address and account hash) and `alembic_version` stay
on the coordinator."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid

import asyncpg

REFERENCE = ("organizations",)
ANCHOR = "projects"  # the first distributed table; every other one is colocated with it
COORDINATOR = {
    "alembic_version": "the migration marker, read and written by `firstcall migrate` only",
    "auth_throttle": "sign-in and API-key failure counts by address and account hash: no company",
}

_TABLES = """
SELECT c.relname AS name,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped) AS has_org
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname
"""
_REFERENCES = """
SELECT src.relname AS source, dst.relname AS target
FROM pg_constraint k
JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid
JOIN pg_namespace n ON n.oid = src.relnamespace
WHERE k.contype = 'f' AND n.nspname = 'public' AND src.oid <> dst.oid
"""


async def statements(conn: asyncpg.Connection) -> list[str]:
    """One line per table of the schema: a statement, or a comment saying why it stays put."""
    tables = {r["name"]: r["has_org"] for r in await conn.fetch(_TABLES)}
    points_at: dict[str, set[str]] = {name: set() for name in tables}
    for r in await conn.fetch(_REFERENCES):
        points_at[r["source"]].add(r["target"])
    unknown = [name for name, has_org in tables.items() if not has_org and name not in COORDINATOR and name not in REFERENCE]
    if unknown:
        raise SystemExit(f"tables without org_id and without a rule here: {', '.join(unknown)}")
    lines = [f"SELECT create_reference_table('{name}');" for name in REFERENCE]
    distributed = sorted(name for name, has_org in tables.items() if has_org and name not in REFERENCE)
    done = set(REFERENCE)
    # The anchor first, then any table whose referenced tables are all in place (alphabetical among those).
    order = [ANCHOR] + [name for name in distributed if name != ANCHOR]
    while order:
        ready = next((name for name in order if points_at[name] <= done | {name}), None)
        if ready is None:
            raise SystemExit(f"foreign keys form a cycle among: {', '.join(order)}")
        order.remove(ready)
        done.add(ready)
        colocate = "" if ready == ANCHOR else f", colocate_with => '{ANCHOR}'"
        lines.append(f"SELECT create_distributed_table('{ready}', 'org_id'{colocate});")
    lines += [f"-- {name}: stays on the coordinator ({why})" for name, why in COORDINATOR.items() if name in tables]
    return lines


async def _scratch() -> list[str]:
    from sqlalchemy import make_url

    from migrations.runner import upgrade

    server = make_url(os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    name = f"fc_citus_{uuid.uuid4().hex[:8]}"
    dsn = server.render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        try:
            target = server.set(database=name)
            await asyncio.to_thread(upgrade, target.set(drivername="postgresql+asyncpg"), "firstcall_app")
            conn = await asyncpg.connect(target.render_as_string(hide_password=False))
            try:
                return await statements(conn)
            finally:
                await conn.close()
        finally:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


async def main(url: str | None) -> None:
    if url is None:
        lines = await _scratch()
    else:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            lines = await statements(conn)
        finally:
            await conn.close()
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else None))
