"""GraphQL overhead and the cost of row-level security.

1. parse + validate of a repeated small query, with the schema's parser and validation caches;
2. a small authenticated query end to end through the ASGI app (no network);
3. RLS against an explicit WHERE on a 1-million-row tenant table (audit_log), as the application
   role with the tenant set versus a superuser with the same filter written out.

    .venv/bin/python bench/graphql_overhead.py [--rows 1000000] [--fresh] [--drop]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform as host
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import asyncpg
import httpx
import strawberry
from sqlalchemy import make_url
from strawberry.extensions import SchemaExtension

from api.app import create_app
from api.context import Context
from api.graphql import schema as schema_module
from migrations.runner import upgrade
from tenants.db import DatabaseUrls
from tenants.platform import Platform
from tenants.principal import Principal
from tenants.provisioning import create_organization
from tenants.roles import API_KEY_READ
from tenants.settings import APP_ROLE, Settings

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "fc_bench"
OUT = Path(__file__).parent / "results" / "graphql_overhead.json"
SMALL = "{ viewer { kind allProjects permissions } }"


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * p))]


class PhaseTimer(SchemaExtension):
    """Listed first, so its hooks enclose every other extension's parse and validate work."""

    samples: list[float] = []

    def on_parse(self) -> Iterator[None]:
        self._t = time.perf_counter_ns()
        yield

    def on_validate(self) -> Iterator[None]:
        yield
        PhaseTimer.samples.append((time.perf_counter_ns() - self._t) / 1e6)


async def parse_validate(platform: Platform, n: int) -> dict:
    timed = strawberry.Schema(query=schema_module.Query, mutation=schema_module.Mutation,
                              extensions=[PhaseTimer, *schema_module.schema.extensions])
    principal = Principal("api_key", uuid.uuid4(), uuid.uuid4(), key_permissions=API_KEY_READ)
    totals = []
    for _ in range(n + 500):
        ctx = Context(platform=platform, request=None, principal=principal)
        t = time.perf_counter_ns()
        result = await timed.execute(SMALL, context_value=ctx)
        totals.append((time.perf_counter_ns() - t) / 1e6)
        assert result.errors is None, result.errors
    pv, totals = PhaseTimer.samples[500:], totals[500:]  # after warm-up
    return {"parse_validate_p50_ms": pct(pv, .5), "parse_validate_p99_ms": pct(pv, .99),
            "execute_no_db_p50_ms": pct(totals, .5), "execute_no_db_p99_ms": pct(totals, .99)}


async def end_to_end(platform: Platform, slug: str, n: int) -> dict:
    app = create_app(platform, None, instrument=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:
        r = await c.post("/graphql", json={"query": 'mutation { login(input: {organization: "%s", username: "admin", '
                                                     'password: "bench-password"}) { accessToken } }' % slug})
        headers = {"authorization": "Bearer " + r.json()["data"]["login"]["accessToken"]}
        query = {"query": "{ viewer { kind } projects(first: 5) { totalCount edges { node { code name } } } }"}
        samples = []
        for _ in range(n + 200):
            t = time.perf_counter_ns()
            r = await c.post("/graphql", json=query, headers=headers)
            samples.append((time.perf_counter_ns() - t) / 1e6)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
    samples = samples[200:]
    return {"http_p50_ms": pct(samples, .5), "http_p99_ms": pct(samples, .99), "http_sequential_rps": 1000 / statistics.mean(samples)}


async def fill(su: asyncpg.Connection, rows: int, fresh: bool) -> list[tuple[uuid.UUID, uuid.UUID]]:
    have = await su.fetchval("SELECT count(*) FROM audit_log WHERE actor = 'bench'")
    if have >= rows and not fresh:
        return [tuple(r) for r in await su.fetch("SELECT org_id, id FROM projects WHERE code LIKE 'B%' ORDER BY 1, 2")]
    await su.execute("DELETE FROM audit_log WHERE actor = 'bench'")
    scopes = []
    for _ in range(20):
        org = uuid.uuid4()
        await su.execute("INSERT INTO organizations (org_id, slug, name) VALUES ($1, $2, $2)", org, f"bench-{org.hex[:12]}")
        for p in range(10):
            pid = uuid.uuid4()
            await su.execute("INSERT INTO projects (org_id, id, code, name, property_type) VALUES ($1, $2, $3, $3, 'office')",
                             org, pid, f"B{p}")
            scopes.append((org, pid))
    rng, now = random.Random(7), datetime.now(UTC)
    batch = 100_000
    for start in range(0, rows, batch):
        records = []
        for _ in range(min(batch, rows - start)):
            org, pid = scopes[rng.randrange(len(scopes))]
            records.append((org, pid, now - timedelta(seconds=rng.randrange(180 * 86400)), "bench", "case.updated",
                            "case", uuid.uuid4(), "{}"))
        await su.copy_records_to_table("audit_log", records=records,
                                       columns=["org_id", "project_id", "at", "actor", "action", "entity", "entity_id", "data"])
    await su.execute("ANALYZE audit_log")
    return scopes


QUERIES = {
    "newest 20 of a project": ("SELECT id, at, action FROM audit_log WHERE project_id = $1 ORDER BY at DESC LIMIT 20",
                               "SELECT id, at, action FROM audit_log WHERE org_id = $2 AND project_id = $1 ORDER BY at DESC LIMIT 20"),
    "count of a project, 30 days": ("SELECT count(*) FROM audit_log WHERE project_id = $1 AND at > now() - interval '30 days'",
                                    "SELECT count(*) FROM audit_log WHERE org_id = $2 AND project_id = $1 AND at > now() - interval '30 days'"),
}


async def rls_cost(owner_dsn: str, app_dsn: str, scopes, n: int) -> dict:
    su, app = await asyncpg.connect(owner_dsn), await asyncpg.connect(app_dsn)
    out = {}
    try:
        for name, (rls_sql, explicit_sql) in QUERIES.items():
            walled, plain = [], []
            for i in range(n + 100):
                org, pid = scopes[i % len(scopes)]
                # Policy cost alone: both run inside a transaction, settings already in place.
                # The order alternates: whichever runs second finds the project's pages cached.
                async def walled_run(org=org, pid=pid, sql=rls_sql, out=walled):
                    async with app.transaction():
                        await app.execute(f"SELECT set_config('app.org_id', '{org}', true), set_config('app.project_ids', '*', true)")
                        t = time.perf_counter_ns()
                        rows = await app.fetch(sql, pid)
                        out.append((time.perf_counter_ns() - t) / 1e6)
                    return rows

                async def plain_run(org=org, pid=pid, sql=explicit_sql, out=plain):
                    async with su.transaction():
                        t = time.perf_counter_ns()
                        rows = await su.fetch(sql, pid, org)
                        out.append((time.perf_counter_ns() - t) / 1e6)
                    return rows

                if i % 2:
                    a, b = await walled_run(), await plain_run()
                else:
                    b, a = await plain_run(), await walled_run()
                assert [tuple(r) for r in a] == [tuple(r) for r in b]
            w, p = statistics.median(walled[100:]), statistics.median(plain[100:])
            out[name] = {"rls_p50_ms": w, "explicit_p50_ms": p, "overhead_pct": (w / p - 1) * 100}
    finally:
        await su.close()
        await app.close()
    return out


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--drop", action="store_true")
    ap.add_argument("--n", type=int, default=3000)
    args = ap.parse_args()
    import os

    server = make_url(os.environ.get("BENCH_DATABASE_URL", SERVER))
    su_dsn = server.render_as_string(hide_password=False)
    admin = await asyncpg.connect(su_dsn)
    exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DB)
    if args.fresh and exists:
        await admin.execute(f"DROP DATABASE {DB} WITH (FORCE)")
    if args.fresh or not exists:
        await admin.execute(f"CREATE DATABASE {DB}")
    pg_version = await admin.fetchval("SHOW server_version")
    await admin.close()
    owner = server.set(drivername="postgresql+asyncpg", database=DB)
    await asyncio.to_thread(upgrade, owner, "firstcall_app")
    urls = DatabaseUrls(owner=owner, app=owner.set(username=APP_ROLE, password="firstcall_app"))
    settings = Settings(DATABASE_URL=owner.render_as_string(hide_password=False))
    platform = Platform.create(settings, urls)
    started = time.time()
    results: dict = {}
    try:
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(owner)
        slug = f"bench-{uuid.uuid4().hex[:8]}"
        await create_organization(engine, slug=slug, name="基准物业", admin_username="admin", admin_password="bench-password")
        await engine.dispose()
        results["graphql"] = await parse_validate(platform, args.n)
        results["graphql"].update(await end_to_end(platform, slug, min(args.n, 2000)))
        su = await asyncpg.connect(owner.set(drivername="postgresql").render_as_string(hide_password=False))
        t = time.time()
        scopes = await fill(su, args.rows, args.fresh)
        results["fill_seconds"] = round(time.time() - t, 1)
        results["rows"] = await su.fetchval("SELECT count(*) FROM audit_log")
        await su.close()
        results["rls"] = await rls_cost(owner.set(drivername="postgresql").render_as_string(hide_password=False),
                                        urls.app.set(drivername="postgresql").render_as_string(hide_password=False), scopes, args.n)
    finally:
        await platform.close()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), host.processor())
    results["machine"] = {"cpu": cpu, "cores": os.cpu_count(), "postgresql": pg_version, "python": host.python_version(),
                          **{p: version(p) for p in ("strawberry-graphql", "graphql-core", "sqlalchemy", "asyncpg", "starlette")}}
    results["seconds"] = round(time.time() - started, 1)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, default=str))
    g = results["graphql"]
    print("\n| measure | p50 | p99 |\n|---|---|---|")
    print(f"| parse + validate, repeated query (cached) | {g['parse_validate_p50_ms']:.3f} ms | {g['parse_validate_p99_ms']:.3f} ms |")
    print(f"| whole execution, no database | {g['execute_no_db_p50_ms']:.3f} ms | {g['execute_no_db_p99_ms']:.3f} ms |")
    print(f"| small query through the ASGI app (login token, 2 root fields, RLS) | {g['http_p50_ms']:.3f} ms | {g['http_p99_ms']:.3f} ms |")
    print(f"\nsequential requests/s through the app: {g['http_sequential_rps']:.0f}\n")
    print(f"| query on {results['rows']:,} rows | RLS p50 | explicit WHERE p50 | overhead |\n|---|---|---|---|")
    for name, r in results["rls"].items():
        print(f"| {name} | {r['rls_p50_ms']:.3f} ms | {r['explicit_p50_ms']:.3f} ms | {r['overhead_pct']:+.1f}% |")
    print(f"\n{results['machine']}\n(total {results['seconds']} s; results in {OUT})")
    if args.drop:
        admin = await asyncpg.connect(su_dsn)
        await admin.execute(f"DROP DATABASE {DB} WITH (FORCE)")
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
