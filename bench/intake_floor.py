"""Intake against its floor (issue 19 §2), side by side in one run.

The floor performs the writes registerCase performs — the idempotency key claimed and its result
remembered, the case row, its three SLA targets and twelve timers, the project's number of the day,
the audit row and the outbox event — with raw asyncpg, one prepared statement per write, in one
transaction, from 32 concurrent connections (as the owner role: no tenant wall, no reads of
policy or category, no framework). registerCase runs through the whole HTTP stack, `firstcall
serve --processes 2` and wrk with 32 connections, each request with an idempotency key of its own.
Both are measured spread over 50 projects and into one project, where every registration needs the
same counter row (taken last, at commit: domain/cases/repository.py).

A small data set of its own (bench/case_data.py into fc_bench_intake_floor: 50 projects, 5,000 cases).
`--code DIR` serves registerCase from another checkout (the "before" side of a change).

    .venv/bin/python bench/intake_floor.py [--seconds 10] [--code DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import to_global_id  # noqa: E402
from bench.case_data import PASSWORD, SLUG, dsn, ensure  # noqa: E402
from bench._results import Figure, Target, record, results_dir  # noqa: E402
from bench.case_intake import run_wrk  # noqa: E402
from domain.cases.repository import business_day  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "intake_floor.json"
DB = "fc_bench_intake_floor"
PORT = 8747
CONNECTIONS = 32
REGISTER = ("mutation($i: RegisterCaseInput!, $k: String) { registerCase(input: $i, idempotencyKey: $k) "
            "{ case { id number } errors { code } } }")

# -- the floor ----------------------------------------------------------------------------------

_CLAIM = ("INSERT INTO idempotency_keys (org_id, principal, key, operation, request_hash) VALUES ($1, $2, $3, $4, $5) "
          "ON CONFLICT DO NOTHING RETURNING 1")
_CASE = ("INSERT INTO cases (org_id, project_id, id, number, kind, severity, channel, category_id, public_area, "
         "first_receiver_id, description, state, received_at, registered_at) "
         "VALUES ($1, $2, $3, $4, 'repair', 'general', 'phone', $5, '一号楼大堂', $6, $7, 'received', $8, $8)")
_TARGETS = ("INSERT INTO case_targets (org_id, project_id, case_id, target, round, clock, started_at, budget_minutes, due_at, provisional) "
            "SELECT $1, $2, $3, t, 0, 'always', $4::timestamptz, m, $4::timestamptz + make_interval(mins => m::int), false "
            "FROM unnest($5::text[], $6::float8[]) AS x(t, m)")
_TIMERS = ("INSERT INTO sla_timers (org_id, project_id, case_id, target, round, level, due_at) "
           "SELECT $1, $2, $3, t, 0, l, d FROM unnest($4::text[], $5::text[], $6::timestamptz[]) AS x(t, l, d)")
_REMEMBER = "UPDATE idempotency_keys SET response = $1::jsonb WHERE org_id = $2 AND principal = $3 AND key = $4"
_NUMBER = ("WITH n AS (INSERT INTO case_numbers (org_id, project_id, day, last) VALUES ($1, $2, $3, 1) "
           "ON CONFLICT (org_id, project_id, day) DO UPDATE SET last = case_numbers.last + 1 RETURNING last) "
           "UPDATE cases SET number = $4 || lpad(n.last::text, greatest(4, length(n.last::text)), '0') "
           "FROM n WHERE cases.org_id = $1 AND cases.id = $5 RETURNING cases.number")
_AUDIT = ("INSERT INTO audit_log (org_id, project_id, actor, action, entity, entity_id, to_state, data) "
          "VALUES ($1, $2, $3, 'case.received', 'case', $4, 'received', $5::jsonb)")
_OUTBOX = "INSERT INTO outbox (org_id, id, project_id, topic, payload, trace_context) VALUES ($1, $2, $3, 'case.received', $4::jsonb, '{}')"
TARGETS = {"commit": 30.0, "arrive": 120.0, "resolve": 1440.0}
LEVELS = {"remind": 0.8, "l1": 1.0, "l2": 1.5, "l3": 2.0}


async def _register_floor(conn: asyncpg.Connection, org: uuid.UUID, project: uuid.UUID, code: str, category: uuid.UUID,
                          agent: uuid.UUID) -> str:
    now = datetime.now(UTC)
    case_id, key, principal = uuid.uuid4(), uuid.uuid4().hex, f"user:{agent}"
    day = business_day(now)
    targets, timers = list(TARGETS), [(t, lvl, now + timedelta(minutes=m * f)) for t, m in TARGETS.items() for lvl, f in LEVELS.items()]
    async with conn.transaction():
        await conn.fetchval(_CLAIM, org, principal, key, "registerCase", uuid.uuid4().bytes)
        await conn.execute(_CASE, org, project, case_id, f"~{case_id}", category, agent, "大堂感应门不开 — benchmark", now)
        await conn.execute(_TARGETS, org, project, case_id, now, targets, [TARGETS[t] for t in targets])
        await conn.execute(_TIMERS, org, project, case_id, [t[0] for t in timers], [t[1] for t in timers], [t[2] for t in timers])
        await conn.execute(_REMEMBER, orjson.dumps({"case_id": str(case_id)}).decode(), org, principal, key)
        number: str = await conn.fetchval(_NUMBER, org, project, day, f"GD-{code}-{day:%Y%m%d}-", case_id)
        await conn.execute(_AUDIT, org, project, principal, case_id, '{"channel": "phone"}')
        await conn.execute(_OUTBOX, org, uuid.uuid4(), project, orjson.dumps({
            "case_id": str(case_id), "kind": "repair", "severity": "general", "channel": "phone", "from": None,
            "to": "received", "actor_id": str(agent), "at": now.isoformat(), "note": None, "number": number}).decode())
    return number


async def floor(url: str, projects: list[tuple[uuid.UUID, str]], seconds: float) -> dict:
    pool = await asyncpg.create_pool(url, min_size=CONNECTIONS, max_size=CONNECTIONS)
    try:
        async with pool.acquire() as conn:
            org = await conn.fetchval("SELECT org_id FROM organizations WHERE slug = $1", SLUG)
            category = await conn.fetchval("SELECT id FROM case_categories WHERE org_id = $1 AND code = 'water_power'", org)
            agent = await conn.fetchval("SELECT id FROM users WHERE org_id = $1 AND username = 'admin'", org)
        latencies: list[float] = []
        stop = time.perf_counter() + seconds

        async def client(i: int) -> None:
            n = i
            async with pool.acquire() as conn:
                while time.perf_counter() < stop:
                    project, code = projects[n % len(projects)]
                    n += CONNECTIONS
                    started = time.perf_counter()
                    await _register_floor(conn, org, project, code, category, agent)
                    latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(CONNECTIONS)))
        elapsed = time.perf_counter() - started
    finally:
        await pool.close()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1)

    return {"requests_per_s": round(len(latencies) / elapsed, 1), "p50_ms": pct(0.5), "p99_ms": pct(0.99), "non_2xx": 0}


# -- registerCase through HTTP ------------------------------------------------------------------


def _serve(url: str, code: Path) -> subprocess.Popen:
    # DB_POOL_SIZE: up to 20 connections a process, as the database server is shared.
    env = {**os.environ, "DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://"), "DB_POOL_SIZE": "10",
           "PYTHONPATH": str(code)}
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "firstcall"), "serve", "--processes", "2", "--port", str(PORT)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(code))
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{PORT}/healthz").status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("server did not start")


def _script(path: Path, bodies: list[dict], token: str) -> Path:
    """wrk sends one of `bodies` per request, in turn, each with an idempotency key never sent before."""
    run = uuid.uuid4().hex[:8]
    listed = ", ".join(f"[==[{json.dumps(b, ensure_ascii=False)}]==]" for b in bodies)
    path.write_text(
        'local threads = 0\nfunction setup(thread)\n  threads = threads + 1\n  thread:set("tid", threads)\nend\n'
        'wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\n'
        f'wrk.headers["authorization"] = "Bearer {token}"\n'
        f"local bodies = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        f'  local body = string.gsub(bodies[i % #bodies + 1], "@KEY@", "{run}-" .. tid .. "-" .. i)\n'
        "  return wrk.format(nil, nil, nil, body)\nend\n")
    return path


def _post(token: str | None, query: str, variables: dict) -> dict:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    body = httpx.post(f"http://127.0.0.1:{PORT}/graphql", json={"query": query, "variables": variables}, headers=headers).json()
    assert "errors" not in body, body
    return body["data"]


def register_case(url: str, projects: list[tuple[uuid.UUID, str]], seconds: int, code: Path, label: str) -> dict:
    scripts = Path("/tmp") / "firstcall-bench"
    scripts.mkdir(exist_ok=True)
    server = _serve(url, code)
    try:
        token = _post(None, "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
                      {"i": {"organization": SLUG, "username": "admin", "password": PASSWORD}})["login"]["accessToken"]
        bodies = [{"query": REGISTER, "variables": {"k": "@KEY@", "i": {
            "projectId": to_global_id("Project", p), "kind": "REPAIR", "channel": "PHONE", "category": "water_power",
            "publicArea": "一号楼大堂", "description": "大堂感应门不开 — benchmark"}}} for p, _ in projects]
        first = dict(bodies[0]["variables"], k=uuid.uuid4().hex)
        assert _post(token, REGISTER, first)["registerCase"]["errors"] == []
        run_wrk(_script(scripts / f"intake-{label}.lua", bodies, token), 2, CONNECTIONS, PORT, timeout=30)  # warm-up
        before = asyncio.run(_count(url))
        measured = run_wrk(_script(scripts / f"intake-{label}.lua", bodies, token), seconds, CONNECTIONS, PORT, timeout=30)
        # wrk counts answers; a GraphQL error is an answer too, so count the cases written meanwhile.
        measured["cases_written"] = asyncio.run(_count(url)) - before
        measured["written_per_s"] = round(measured["cases_written"] / seconds, 1)
        return measured
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def _connect(url: str) -> asyncpg.Connection:
    """A connection, waiting for a free slot: other work shares the database server."""
    for _ in range(60):
        try:
            return await asyncpg.connect(url)
        except asyncpg.TooManyConnectionsError:
            await asyncio.sleep(0.5)
    return await asyncpg.connect(url)


async def _projects(url: str) -> list[tuple[uuid.UUID, str]]:
    conn = await _connect(url)
    try:
        return [(r["id"], r["code"]) for r in await conn.fetch("SELECT id, code FROM projects ORDER BY code LIMIT 50")]
    finally:
        await conn.close()


async def _count(url: str) -> int:
    conn = await _connect(url)
    try:
        n: int = await conn.fetchval("SELECT count(*) FROM cases")
        return n
    finally:
        await conn.close()


async def _gapless(url: str) -> bool:
    """Every project's numbers of every day run 1..N without a gap or a repeat, and match the counter."""
    conn = await _connect(url)
    try:
        return bool(await conn.fetchval(
            "SELECT bool_and(n.last = c.count AND c.count = c.distinct_numbers AND c.top = c.count) FROM case_numbers n JOIN ("
            "  SELECT project_id, split_part(number, '-', 3) AS day, count(*), count(DISTINCT number) AS distinct_numbers, "
            "         max(split_part(number, '-', 4)::int) AS top FROM cases GROUP BY 1, 2"
            ") c ON c.project_id = n.project_id AND c.day = to_char(n.day, 'YYYYMMDD')"))
    finally:
        await conn.close()


async def _vacuum(url: str) -> None:
    """Before each measure, as autovacuum would: the server here runs with it off, and the counter
    rows, keys and outbox of earlier measures otherwise pile up dead versions that every later
    upsert walks (the floor fell from 270/s to under 100/s over a session's runs)."""
    conn = await _connect(url)
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout whose registerCase is served")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it)")
    url = dsn(asyncio.run(ensure(50, 5000, database=DB)))
    projects = asyncio.run(_projects(url))
    results: dict = {"projects": len(projects), "connections": CONNECTIONS, "api_processes": 2, "code": str(args.code.resolve()),
                     "load_average": os.getloadavg()[0]}
    for label, chosen in (("50_projects", projects), ("one_project", projects[:1])):
        asyncio.run(_vacuum(url))
        results[f"floor_{label}"] = asyncio.run(floor(url, chosen, args.seconds))
        asyncio.run(_vacuum(url))
        results[f"register_{label}"] = register_case(url, chosen, args.seconds, args.code, label)
        results[f"ratio_{label}"] = round(results[f"register_{label}"]["requests_per_s"] / results[f"floor_{label}"]["requests_per_s"], 2)
    results["gapless"] = asyncio.run(_gapless(url))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    spread, one = results["register_50_projects"], results["register_one_project"]
    floor_spread = results["floor_50_projects"]["requests_per_s"]
    record("intake_floor", args=args, parser=ap, figures=[
        Figure("registerCase, 50 projects", spread["written_per_s"], "written/s"), Figure("p99", spread["p99_ms"], "ms"),
        Figure("floor", floor_spread, "/s"), Figure("one project", one["written_per_s"], "written/s")],
        ratios={"registerCase ÷ floor, 50 projects": results["ratio_50_projects"],
                "one project ÷ fifty": one["written_per_s"] / spread["written_per_s"] if spread["written_per_s"] else 0.0},
        targets=[Target("registerCase ÷ floor, 50 projects", spread["written_per_s"] / floor_spread, ">=", 0.5, "×", "issue 19 §2"),
                 Target("registerCase over 50 projects", spread["written_per_s"], ">=", 500, "/s", "issue 19 §2")])


if __name__ == "__main__":
    main()
