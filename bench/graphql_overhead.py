"""GraphQL overhead and the cost of row-level security.

1. parse + validate of a repeated small query, with the schema's parser and validation caches;
2. the same query end to end through the ASGI app (no network), with a login token;
3. RLS against an explicit WHERE on a 1-million-row tenant table (audit_log): a superuser with
   the filter written out, versus the application role with the tenant set — once with an
   organization-wide scope plus `WHERE project_id`, once with a one-project scope and no WHERE.

    .venv/bin/python bench/graphql_overhead.py [--rows 1000000] [--fresh] [--drop]

The database (fc_bench, on BENCH_DATABASE_URL) is recreated only when it lacks exactly --rows
filled rows, or with --fresh; it is kept afterwards unless --drop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform as host
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import ClassVar

import asyncpg
import httpx
from sqlalchemy import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from strawberry.extensions import SchemaExtension

from api.app import create_app
from api.context import Context
from api.graphql import schema as schema_module
from api.graphql.types.project import Project
from migrations.runner import upgrade
from tenants.db import DatabaseUrls
from tenants.platform import Platform
from tenants.principal import Principal
from domain.directory.provisioning import create_organization
from tenants.roles import API_KEY_READ
from tenants.settings import APP_ROLE, Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._results import Figure, Target, record, results_dir  # noqa: E402

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "fc_bench"
OUT = results_dir() / "graphql_overhead.json"
QUERY = "{ viewer { kind allProjects } projects(first: 5) { totalCount edges { node { code name } } } }"
NO_DB_QUERY = "{ viewer { kind allProjects permissions } }"  # resolved from the token alone
PASSWORD = "bench-password"


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * p))]


def dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PhaseTimer(SchemaExtension):
    """Listed first, so its hooks enclose every other extension's parse and validate work
    (strawberry enters hooks in list order and leaves them in reverse)."""

    samples: ClassVar[list[float]] = []

    def on_parse(self) -> Iterator[None]:
        self._t = time.perf_counter_ns()
        yield

    def on_validate(self) -> Iterator[None]:
        yield
        PhaseTimer.samples.append((time.perf_counter_ns() - self._t) / 1e6)


async def in_process(platform: Platform, org_id: uuid.UUID, query: str, n: int, warm: int = 500) -> dict:
    """schema.execute without HTTP, on a copy of the real schema with the timer in front."""
    real = schema_module.schema
    timed = schema_module.Schema(query=schema_module.Query, mutation=schema_module.Mutation, types=[Project],
                                 config=real.config, extensions=[PhaseTimer, *real.extensions])
    principal = Principal("api_key", uuid.uuid4(), org_id, key_permissions=API_KEY_READ)
    PhaseTimer.samples.clear()
    totals = []
    for _ in range(n + warm):
        ctx = Context(platform=platform, request=None, principal=principal)
        t = time.perf_counter_ns()
        result = await timed.execute(query, context_value=ctx)
        await ctx.db.close()  # the view does this after each request
        totals.append((time.perf_counter_ns() - t) / 1e6)
        assert result.errors is None, result.errors
    pv, totals = PhaseTimer.samples[warm:], totals[warm:]
    return {"parse_validate_p50_ms": pct(pv, .5), "parse_validate_p99_ms": pct(pv, .99),
            "execute_p50_ms": pct(totals, .5), "execute_p99_ms": pct(totals, .99)}


async def end_to_end(platform: Platform, slug: str, n: int, warm: int = 200) -> dict:
    app = create_app(platform, None, instrument=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:
        r = await c.post("/graphql", json={"query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
                                           "variables": {"i": {"organization": slug, "username": "admin", "password": PASSWORD}}})
        headers = {"authorization": "Bearer " + r.json()["data"]["login"]["accessToken"]}
        samples = []
        for _ in range(n + warm):
            t = time.perf_counter_ns()
            r = await c.post("/graphql", json={"query": QUERY}, headers=headers)
            samples.append((time.perf_counter_ns() - t) / 1e6)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
    samples = samples[warm:]
    return {"http_p50_ms": pct(samples, .5), "http_p99_ms": pct(samples, .99), "http_sequential_rps": 1000 / statistics.mean(samples)}


async def fill(su: asyncpg.Connection, rows: int) -> None:
    """20 organizations × 10 projects, rows spread at random over 180 days; COPY as superuser."""
    scopes = []
    for _ in range(20):
        org = uuid.uuid4()
        await su.execute("INSERT INTO organizations (org_id, slug, name) VALUES ($1, $2, $2)", org, f"fill-{org.hex[:12]}")
        for p in range(10):
            pid = uuid.uuid4()
            await su.execute("INSERT INTO projects (org_id, id, code, name, property_type) VALUES ($1, $2, $3, $3, 'office')",
                             org, pid, f"B{p}")
            scopes.append((org, pid))
    rng, now, batch = random.Random(7), datetime.now(UTC), 100_000
    for start in range(0, rows, batch):
        records = [(*rng.choice(scopes), now - timedelta(seconds=rng.randrange(180 * 86400)), "bench", "case.updated",
                    "case", uuid.uuid4(), "{}") for _ in range(min(batch, rows - start))]
        await su.copy_records_to_table("audit_log", records=records,
                                       columns=["org_id", "project_id", "at", "actor", "action", "entity", "entity_id", "data"])
    await su.execute("VACUUM ANALYZE audit_log")  # visibility map and statistics, as a live table would have


# One project's rows, three ways: $1 is the project, $2 its organization.
QUERIES = {
    "20 newest rows of a project": "SELECT id, at, action FROM audit_log {} ORDER BY at DESC LIMIT 20",
    "count of a project, 30 days": "SELECT count(*) FROM audit_log WHERE at > now() - interval '30 days' {}",
}
SLOW_SHARE = 15  # the project-scope variant costs milliseconds a run: n / 15 runs of it


def variants(template: str) -> dict[str, tuple[str, str, Callable]]:
    """name -> (connection, statement, tenant settings). The superuser sets them too, though no
    policy reads them, so that every variant's transaction has the same shape."""
    where = "WHERE" if template.startswith("SELECT id") else "AND"
    return {
        "explicit": ("su", template.format(f"{where} org_id = $2 AND project_id = $1"), lambda org, pid: (org, "*")),
        "rls_org_scope": ("app", template.format(f"{where} project_id = $1"), lambda org, pid: (org, "*")),
        "rls_project_scope": ("app", template.format(""), lambda org, pid: (org, f"{{{pid}}}")),
    }


async def run(conn, sql: str, settings, org, pid, out: list | None = None, explain: bool = False):
    args = (pid, org)[: sql.count("$")]
    async with conn.transaction():
        o, p = settings(org, pid)
        await conn.execute(f"SELECT set_config('app.org_id', '{o}', true), set_config('app.project_ids', '{p}', true)")
        if explain:
            return plan_chain(json.loads(await conn.fetchval("EXPLAIN (FORMAT JSON) " + sql, *args))[0]["Plan"])
        t = time.perf_counter_ns()
        rows = await conn.fetch(sql, *args)
        if out is not None:
            out.append((time.perf_counter_ns() - t) / 1e6)
    return [tuple(r) for r in rows]


def plan_chain(node: dict) -> str:
    """'Limit > Index Scan Backward (audit_log_project)', skipping the InitPlans that read settings."""
    label = node["Node Type"] + (" Backward" if node.get("Scan Direction") == "Backward" else "")
    label += f" ({node['Index Name']})" if "Index Name" in node else ""
    children = [c for c in node.get("Plans", []) if c.get("Parent Relationship") != "InitPlan"]
    return label + (" > " + plan_chain(children[0]) if children else "")


async def rls_cost(conns: dict, scopes: list, n: int, warm: int = 100) -> dict:
    out = {}
    for name, template in QUERIES.items():
        vs = variants(template)
        samples = {v: [] for v in vs}
        # The project-scope variant runs apart, after the others: mixed in, its scans of tens of ms made
        # the superuser's queries 30 µs slower and RLS looked 11% cheaper than no RLS. A scheduling
        # effect (processes moved between the 2 cores): with backends pinned it went away.
        for group, rounds, skip in ((["explicit", "rls_org_scope"], n, warm), (["rls_project_scope"], n // SLOW_SHARE, 10)):
            for i in range(rounds + skip):
                org, pid = scopes[i % len(scopes)]
                # Untimed, first: every timed variant then finds the project's pages in shared_buffers,
                # whatever ran before; the alternation below covers the rest of the order effects.
                answers = [await run(conns["su"], *vs["explicit"][1:], org, pid)]
                for v in group[i % len(group):] + group[: i % len(group)]:
                    answers.append(await run(conns[vs[v][0]], *vs[v][1:], org, pid, samples[v] if i >= skip else None))
                assert all(a == answers[0] for a in answers), (name, group)
        org, pid = scopes[0]
        base = statistics.median(samples["explicit"])
        out[name] = {v: {"p50_ms": statistics.median(s), "mean_ms": statistics.mean(s), "runs": len(s),
                         "overhead_pct": (statistics.median(s) / base - 1) * 100,
                         "plan": await run(conns[vs[v][0]], *vs[v][1:], org, pid, explain=True)}
                     for v, s in samples.items()}
    return out


def machine(pg_version: str) -> dict:
    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), host.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "postgresql": pg_version, "python": host.python_version(),
            **{p: version(p) for p in ("strawberry-graphql", "graphql-core", "sqlalchemy", "asyncpg", "starlette")}}


def report(r: dict) -> None:
    g = r["graphql"]
    print("\n| measure | p50 | p99 | target |\n|---|---|---|---|")
    print(f"| parse + validate, repeated small query (caches on) | {g['parse_validate_p50_ms']:.3f} ms "
          f"| {g['parse_validate_p99_ms']:.3f} ms | ≤ 0.2 ms |")
    print(f"| schema.execute of the same query, in process (2 SQL + tenant transaction) | {g['execute_p50_ms']:.3f} ms "
          f"| {g['execute_p99_ms']:.3f} ms | |")
    print(f"| schema.execute of `{NO_DB_QUERY}`, no database | {r['graphql_no_db']['execute_p50_ms']:.3f} ms "
          f"| {r['graphql_no_db']['execute_p99_ms']:.3f} ms | |")
    print(f"| same query through the ASGI app, JWT bearer | {g['http_p50_ms']:.3f} ms | {g['http_p99_ms']:.3f} ms | |")
    print(f"\nsequential requests/s through the app: {g['http_sequential_rps']:.0f}\n")
    print(f"| query on {r['rows']:,} rows | variant | runs | p50 | mean | vs explicit p50 | plan |\n|---|---|---|---|---|---|---|")
    for name, vs in r["rls"].items():
        for v, s in vs.items():
            print(f"| {name} | {v} | {s['runs']} | {s['p50_ms']:.3f} ms | {s['mean_ms']:.3f} ms "
                  f"| {s['overhead_pct']:+.1f}% | {s['plan']} |")
    print("\n| machine | |\n|---|---|")
    for k, v in r["machine"].items():
        print(f"| {k} | {v} |")
    print(f"\ntotal {r['seconds']} s (fill {r['fill_seconds']} s); results in {OUT}")


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--fresh", action="store_true", help="recreate the database even if its rows fit")
    ap.add_argument("--drop", action="store_true", help="drop the database at the end")
    ap.add_argument("--n", type=int, default=3000, help="runs of each cheap RLS variant")
    args = ap.parse_args()
    started = time.time()
    server = make_url(os.environ.get("BENCH_DATABASE_URL", SERVER))
    owner = server.set(drivername="postgresql+asyncpg", database=DB)
    admin = await asyncpg.connect(dsn(server))
    try:
        pg_version = await admin.fetchval("SHOW server_version")
        have = 0
        if await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DB) and not args.fresh:
            probe = await asyncpg.connect(dsn(owner))
            if await probe.fetchval("SELECT to_regclass('audit_log') IS NOT NULL"):
                have = await probe.fetchval("SELECT count(*) FROM audit_log WHERE actor = 'bench'")
            await probe.close()
        reuse = have == args.rows
        if not reuse:
            await admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
            await admin.execute(f"CREATE DATABASE {DB}")
    finally:
        await admin.close()
    await asyncio.to_thread(upgrade, owner, "firstcall_app")  # idempotent on a reused database

    results: dict = {"rows": args.rows, "reused_rows": reuse}
    su = await asyncpg.connect(dsn(owner))
    t = time.time()
    if not reuse:
        await fill(su, args.rows)
    results["fill_seconds"] = round(time.time() - t, 1)
    scopes = [tuple(r) for r in await su.fetch("SELECT org_id, id FROM projects WHERE code LIKE 'B%' ORDER BY 1, 2")]

    urls = DatabaseUrls(owner=owner, app=owner.set(username=APP_ROLE, password="firstcall_app"))
    platform = Platform.create(Settings(DATABASE_URL=dsn(owner), FIRSTCALL_MODE="development"), urls)
    try:
        engine = create_async_engine(owner)
        slug = f"bench-{uuid.uuid4().hex[:8]}"  # a company with a login of its own, no projects
        org_id, _ = await create_organization(engine, slug=slug, name="基准物业", admin_username="admin", admin_password=PASSWORD)
        await engine.dispose()
        results["graphql"] = await in_process(platform, org_id, QUERY, 5000)
        results["graphql_no_db"] = await in_process(platform, org_id, NO_DB_QUERY, 5000)
        results["graphql"].update(await end_to_end(platform, slug, 2000))
        app = await asyncpg.connect(dsn(urls.app))
        try:
            results["rls"] = await rls_cost({"su": su, "app": app}, scopes, args.n)
        finally:
            await app.close()
    finally:
        await su.close()
        await platform.close()
    results["machine"] = machine(pg_version)
    results["seconds"] = round(time.time() - started, 1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, default=str))
    report(results)
    g, rls = results["graphql"], results["rls"]
    record("graphql_overhead", args=args, parser=ap, figures=[
        Figure("parse + validate p50", g["parse_validate_p50_ms"], "ms"), Figure("p99", g["parse_validate_p99_ms"], "ms"),
        Figure("ASGI request p50", g["http_p50_ms"], "ms")],
        ratios={f"RLS ÷ explicit, {name}": 1 + v["rls_org_scope"]["overhead_pct"] / 100 for name, v in rls.items()},
        targets=[Target("parse + validate p50", g["parse_validate_p50_ms"], "<=", 0.2, "ms"),
                 *(Target(f"RLS over explicit WHERE, {name}", v["rls_org_scope"]["overhead_pct"], "<=", 10, "%")
                   for name, v in rls.items())])
    if args.drop:
        admin = await asyncpg.connect(dsn(server))
        await admin.execute(f"DROP DATABASE {DB} WITH (FORCE)")
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
