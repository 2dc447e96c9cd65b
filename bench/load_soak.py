"""Load and soak (DESIGN §10): `firstcall serve --processes 2`, `firstcall worker` and `firstcall
scanner` on RabbitMQ (a vhost of its own), on a scratch database made by this script (one company,
20 projects with an agent and four technicians each, a few thousand cases).

1. Load: 200 concurrent clients for 60 s, each without pause — 30% customer-service agents (the
   queue, its counts, a case's page, the unread count, intake with an idempotency key, commit and
   dispatch of what they registered), 40% technicians (their queue, a case's page, the inbox,
   accept and resolve what was dispatched to them), 20% HQ viewers (the HQ overview, the
   company's list, counts, inbox, a case's page) and 10% integrators (registerCase under an API
   key, a fifth of them sent again with the same key; the company's list; a signed call record
   posted to /inbound/calls). p50/p99 per operation; every error — transport, non-2xx, a GraphQL
   error or a payload's `errors` — counted by code, with samples.
2. Soak: fewer clients at a moderate rate (`--soak-seconds`, 600 by default), the resident set of
   each process (both API processes and their supervisor, the worker, the scanner) sampled every
   10 s: first, last, max and the least-squares trend in MB per minute.
Afterwards every case a registerCase acknowledged is looked for in the database.

The database server is one of the run's own (bench/_cluster.py: initdb, autovacuum on, connections
sized for the stack), so neither other work on the machine's shared server nor its autovacuum being
off decides the errors; `--database-url` runs against an existing server instead.

    .venv/bin/python bench/load_soak.py [--clients 200] [--seconds 60] [--soak-seconds 600]     (make bench-load)
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pika
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import from_global_id, parse_global_id, to_global_id  # noqa: E402
from bench._cluster import private_cluster  # noqa: E402
from bench._database import dsn  # noqa: E402
from bench._load_ops import Caller, Recorder, World, roles, summary  # noqa: E402
from bench._results import Figure, Target, record, results_dir  # noqa: E402
from bench._servers import FIRSTCALL, LOGIN, _env, flush_broker  # noqa: E402
from bench.case_data import PASSWORD, SLUG, ensure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "load_soak.json"
DB, VHOST, PORT = "fc_bench_load", "firstcall_load", 8793
API_KEY = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code message } } }"
TELEPHONY = ("mutation($p: ID!, $n: String!) { addTelephonyIntegration(projectId: $p, name: $n) "
             "{ integration { id } secret errors { code message } } }")


def pool_size() -> int:
    """Connections per process (and as many again in overflow): 5 unless DB_POOL_SIZE says."""
    return int(os.environ.get("DB_POOL_SIZE", "5"))


def connections_needed() -> int:
    """max_connections for a private cluster: the stack's pools at their overflow (two API processes,
    the worker, the scanner), their LISTEN sessions, this script's own sessions, and a margin."""
    return 2 * pool_size() * 4 + 3 + 10 + 20


def broker_url(vhost: str) -> str:
    """The vhost on the local RabbitMQ, made when missing: no other run's worker takes our events."""
    url = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    try:
        pika.BlockingConnection(pika.URLParameters(url)).close()
    except pika.exceptions.AMQPConnectionError:
        subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=False, capture_output=True, timeout=60)
        subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
                       check=True, capture_output=True, timeout=60)
    flush_broker(url)
    return url


class Stack:
    """The API on two processes, the worker and the scanner; their stderr in bench/results/."""

    def __init__(self, url: str, broker: str, port: int, logs: Path, label: str) -> None:
        env = _env(url, {"BROKER_URL": broker, "ACCESS_TOKEN_MINUTES": "240", "DB_POOL_SIZE": str(pool_size())})
        logs.mkdir(parents=True, exist_ok=True)
        self.port, self.procs = port, {}
        for name, args in (("api", ["serve", "--processes", "2", "--port", str(port)]), ("worker", ["worker", "--threads", "4"]),
                           ("scanner", ["scanner"])):
            self.procs[name] = subprocess.Popen([FIRSTCALL, *args], env=env, stdout=subprocess.DEVNULL,
                                                stderr=(logs / f"{label}-{name}.log").open("w"))

    def wait(self) -> None:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz").status_code == 200 and len(self.api_workers()) == 2:
                    time.sleep(3)  # the other API process, the worker and the scanner connected too
                    return
            time.sleep(0.5)
        raise RuntimeError("the API did not start")

    def api_workers(self) -> list[psutil.Process]:
        children = psutil.Process(self.procs["api"].pid).children()
        return [c for c in children if "resource_tracker" not in " ".join(c.cmdline())]

    def processes(self) -> dict[str, psutil.Process]:
        found = {f"api-{i + 1}": p for i, p in enumerate(sorted(self.api_workers(), key=lambda p: p.pid))}
        found["api-supervisor"] = psutil.Process(self.procs["api"].pid)
        found.update({name: psutil.Process(self.procs[name].pid) for name in ("worker", "scanner")})
        return found

    def stop(self) -> None:
        for p in self.procs.values():
            p.terminate()
        for p in self.procs.values():
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()


async def prepare(database: str, projects: int, cases: int) -> tuple[str, list[str], dict, dict]:
    """The scratch database (dropped and made again, migrated) and its people, as global ids."""
    url = dsn(await ensure(projects, cases, database=database, fresh=True))
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT p.id AS project, p.code, u.id AS user_id, u.username, r.role FROM projects p "
                                "JOIN role_assignments r ON r.project_id = p.id JOIN users u ON u.id = r.user_id "
                                "ORDER BY p.code, u.username")
        known = {}
        recent = ("SELECT project_id, array_agg(id) AS ids FROM (SELECT project_id, id, row_number() OVER "
                  "(PARTITION BY project_id ORDER BY received_at DESC) AS n FROM cases) c WHERE n <= 50 GROUP BY project_id")
        for r in await conn.fetch(recent):
            known[to_global_id("Project", r["project_id"])] = deque((to_global_id("Case", i) for i in r["ids"]), maxlen=500)
    finally:
        await conn.close()
    project_ids = list(dict.fromkeys(to_global_id("Project", r["project"]) for r in rows))
    agents = {to_global_id("Project", r["project"]): r["username"] for r in rows if r["role"] == "cs_agent"}
    technicians: dict[str, list[tuple[str, str]]] = {p: [] for p in project_ids}
    for r in rows:
        if r["role"] == "technician":
            technicians[to_global_id("Project", r["project"])].append((r["username"], to_global_id("User", r["user_id"])))
    return url, project_ids, {"agents": agents, "technicians": technicians}, known


async def sign_in(base: str, people: dict, projects: list[str]) -> tuple[dict, dict]:
    """A token per person (once: several clients of one agent share it, as tabs do), the
    integrators' API key, and a telephony integration per project."""
    users = ["admin", *people["agents"].values(), *(u for staff in people["technicians"].values() for u, _ in staff)]
    tokens: dict[str, dict[str, str]] = {}
    gate = asyncio.Semaphore(6)
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        async def login(username: str) -> None:
            async with gate:
                r = await http.post("/graphql", json={"query": LOGIN, "variables": {"i": {
                    "organization": SLUG, "username": username, "password": PASSWORD}}})
                tokens[username] = {"authorization": "Bearer " + r.json()["data"]["login"]["accessToken"]}

        await asyncio.gather(*(login(u) for u in users))
        admin = tokens["admin"]
        key = (await http.post("/graphql", headers=admin, json={"query": API_KEY, "variables": {"i": {
            "name": "负载测试 load", "access": "READ_WRITE"}}})).json()["data"]["createApiKey"]
        tokens["api-key"] = {"x-api-key": key["secret"]}
        integrations = {}
        for p in projects:
            made = (await http.post("/graphql", headers=admin, json={"query": TELEPHONY, "variables": {"p": p, "n": "话务 load"}})).json()
            added = made["data"]["addTelephonyIntegration"]
            integrations[p] = (str(parse_global_id(added["integration"]["id"])[1]), added["secret"])
    return tokens, integrations


async def phase(base: str, world: World, clients: int, seconds: float, pause: float, on_tick=None) -> tuple[dict, Recorder]:
    """`clients` callers for `seconds`, each waiting about `pause` s between requests (0: none);
    `on_tick` is awaited every 10 s meanwhile (the soak's memory samples)."""
    rec = Recorder()
    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(60), limits=limits) as http:
        seen: dict[str, int] = {}
        callers = []
        for i, role in enumerate(roles(clients)):
            callers.append(Caller(i, seen.get(role, 0), role, world, rec, http))
            seen[role] = seen.get(role, 0) + 1
        started = time.monotonic()
        until = started + seconds
        run = asyncio.gather(*(c.run(until, pause) for c in callers))
        while on_tick:
            await on_tick()
            if run.done():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(run), timeout=10)
        await run
        elapsed = time.monotonic() - started
    return summary(rec, elapsed), rec


class Sampler:
    """The resident set of each process, every call."""

    def __init__(self, stack: Stack) -> None:
        self.procs, self.samples, self.started = stack.processes(), [], time.monotonic()

    async def __call__(self) -> None:
        self.samples.append({"t": round(time.monotonic() - self.started, 1),
                             **{name: round(p.memory_info().rss / 2**20, 1) for name, p in self.procs.items()}})

    def report(self) -> dict[str, Any]:
        out = {}
        for name in self.procs:
            ts = [s["t"] / 60 for s in self.samples]
            mb = [s[name] for s in self.samples]
            n, mt, mm = len(ts), sum(ts) / len(ts), sum(mb) / len(mb)
            spread = sum((t - mt) ** 2 for t in ts)
            slope = sum((t - mt) * (m - mm) for t, m in zip(ts, mb, strict=True)) / spread if spread else 0.0
            out[name] = {"first_mb": mb[0], "last_mb": mb[-1], "max_mb": max(mb), "samples": n, "trend_mb_per_min": round(slope, 2)}
        return out


CONNECTIONS: dict[str, list[int]] = {}


async def autoanalyze(url: str, every: float) -> None:
    """ANALYZE every `every` s, standing in for autovacuum where the server has it off (as this
    shared one does): tables that were empty when the data was loaded (case_targets, sla_timers …)
    fill during the run, and with their statistics saying empty the planner probes the worst-due
    subquery of TIME_LEFT lists through case_targets_open by company alone — every open target
    read once per case listed (2.3 s a list at 4,000 cases and 700 targets, against 43 ms after
    one ANALYZE)."""
    conn = await asyncpg.connect(url)
    try:
        while True:
            await asyncio.sleep(every)
            await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def connections(url: str, database: str) -> None:
    """Server connections to `database`, every 2 s (the server is shared: its max_connections is
    everyone's), into CONNECTIONS."""
    seen = CONNECTIONS.setdefault(database, [])
    conn = await asyncpg.connect(url)
    try:
        while True:
            seen.append(await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", database))
            await asyncio.sleep(2)
    finally:
        await conn.close()


async def acknowledged_missing(url: str, rec: Recorder) -> int:
    conn = await asyncpg.connect(url)
    try:
        ids = [from_global_id(g, "Case") for g in set(rec.acknowledged)]
        return len(ids) - await conn.fetchval("SELECT count(*) FROM cases WHERE id = ANY($1::uuid[])", ids)
    finally:
        await conn.close()


async def outbox_backlog(url: str, settle: float = 60) -> int:
    """Events not yet relayed once the clients stop, after up to `settle` s."""
    conn = await asyncpg.connect(url)
    try:
        deadline = time.monotonic() + settle
        while (left := await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")) and time.monotonic() < deadline:
            await asyncio.sleep(1)
        return int(left)
    finally:
        await conn.close()


async def run(*, clients: int, seconds: float, soak_clients: int, soak_seconds: float, soak_pause: float,
              projects: int = 20, cases: int = 4000, database: str = DB, vhost: str = VHOST, port: int = PORT,
              analyze_every: float = 20, log=print) -> dict[str, Any]:
    url, project_ids, people, known = await prepare(database, projects, cases)
    broker = await asyncio.to_thread(broker_url, vhost)
    stack = Stack(url, broker, port, OUT.parent, database)
    analyzer = asyncio.create_task(autoanalyze(url, analyze_every)) if analyze_every else None
    try:
        await asyncio.to_thread(stack.wait)
        base = f"http://127.0.0.1:{port}"
        tokens, integrations = await sign_in(base, people, project_ids)
        world = World(project_ids, people["agents"], people["technicians"], tokens, integrations, known)
        log(f"load: {clients} clients for {seconds:.0f} s …", flush=True)
        watch = asyncio.create_task(connections(url, database))
        load, load_rec = await phase(base, world, clients, seconds, 0)
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch
        load["db_connections_max"] = max(CONNECTIONS[database], default=0)
        log(table(load), flush=True)
        sampler = Sampler(stack)
        log(f"soak: {soak_clients} clients for {soak_seconds:.0f} s, RSS every 10 s …", flush=True)
        soak, soak_rec = await phase(base, world, soak_clients, soak_seconds, soak_pause, on_tick=sampler)
        soak["memory"] = sampler.report()
        soak["memory_samples"] = sampler.samples
        backlog = await outbox_backlog(url)
    finally:
        if analyzer:
            analyzer.cancel()
        await asyncio.to_thread(stack.stop)
    acknowledged = len(set(load_rec.acknowledged) | set(soak_rec.acknowledged))
    missing = await acknowledged_missing(url, load_rec) + await acknowledged_missing(url, soak_rec)
    return {"projects": projects, "cases_loaded": cases, "api_processes": 2, "broker": "rabbitmq", "worker_threads": 4,
            "load": {"clients": clients, "seconds": seconds, **load},
            "soak": {"clients": soak_clients, "seconds": soak_seconds, "pause_s": soak_pause, **soak},
            "registrations_acknowledged": acknowledged, "registrations_missing": missing, "outbox_unrelayed_after_60s": backlog,
            "analyze_every_s": analyze_every, "db_pool_size": pool_size()}


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "load_average": [round(x, 1) for x in os.getloadavg()], "python": platform.python_version(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def table(result: dict[str, Any]) -> str:
    lines = ["| operation | n | per s | p50 | p99 | errors |", "|---|---|---|---|---|---|"]
    for op, o in result["operations"].items():
        lines.append(f"| {op} | {o['n']:,} | {o['per_s']} | {o['p50_ms']:.0f} ms | {o['p99_ms']:.0f} ms | {o['errors']} |")
    lines.append(f"| **all** | {result['requests']:,} | {result['requests_per_s']} | {result['p50_ms']:.0f} ms | "
                 f"{result['p99_ms']:.0f} ms | {result['errors']} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--soak-clients", type=int, default=20)
    ap.add_argument("--soak-seconds", type=float, default=600)
    ap.add_argument("--soak-pause", type=float, default=1.0, help="mean seconds between one soak client's requests")
    ap.add_argument("--projects", type=int, default=20)
    ap.add_argument("--cases", type=int, default=4000)
    ap.add_argument("--database-url", help="an existing server's superuser URL (BENCH_DATABASE_URL's form) instead of a "
                    "private cluster started and stopped by this script")
    ap.add_argument("--analyze-every", type=float, default=None,
                    help="seconds between ANALYZEs, standing in for autovacuum where a server has it off; 0: none "
                         "(default: none on the private cluster, whose autovacuum is on; 20 with --database-url)")
    args = ap.parse_args()
    before = machine()
    analyze_every = args.analyze_every if args.analyze_every is not None else (20 if args.database_url else 0)
    with contextlib.ExitStack() as stack:
        if args.database_url:
            os.environ["BENCH_DATABASE_URL"] = args.database_url
        else:
            os.environ["BENCH_DATABASE_URL"] = stack.enter_context(
                private_cluster(connections_needed(), keep_log=OUT.parent / f"{DB}-postgres.log"))
        result = asyncio.run(run(clients=args.clients, seconds=args.seconds, soak_clients=args.soak_clients,
                                 soak_seconds=args.soak_seconds, soak_pause=args.soak_pause, projects=args.projects,
                                 cases=args.cases, analyze_every=analyze_every))
        if not args.database_url:  # the cluster is gone: the headline asks the machine's server (the same binaries)
            del os.environ["BENCH_DATABASE_URL"]
    result["database_server"] = ("given: " + args.database_url) if args.database_url else \
        f"private cluster (autovacuum on, max_connections {connections_needed()})"
    result["machine"] = {"before": before, "after": machine()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(table(result["load"]), "\n", table(result["soak"]), sep="\n")
    print(json.dumps({k: result[k] for k in ("registrations_acknowledged", "registrations_missing", "outbox_unrelayed_after_60s")}))
    print(json.dumps(result["soak"]["memory"], indent=1))
    load, soak = result["load"], result["soak"]
    record("load_soak", args=args, parser=ap, figures=[
        Figure("load", load["requests_per_s"], "requests/s"), Figure("p50", load["p50_ms"], "ms"), Figure("p99", load["p99_ms"], "ms"),
        Figure("errors", load["errors"]), Figure("soak errors", soak["errors"]),
        Figure("steepest memory trend", max(m["trend_mb_per_min"] for m in soak["memory"].values()), "MB/min")],
        targets=[Target("errors, load and soak", load["errors"] + soak["errors"], "<=", 0, "", "no error under load"),
                 Target("acknowledged cases missing", result["registrations_missing"], "<=", 0, "", "DESIGN §10, no accepted write lost")])
    for name in ("load", "soak"):
        if result[name]["errors"]:
            print(name, "errors:", json.dumps(result[name]["error_detail"], indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
