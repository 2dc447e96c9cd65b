"""Memory growth of one API process under the load's operation mix, in-process (issue 19 §4).

The application as `firstcall serve` builds it, called as an ASGI app through httpx's ASGI
transport (no server, no sockets), driven by bench/_load_ops.py's callers — agents,
technicians, HQ viewers and integrators with their operation mix. After a warm-up, `tracemalloc`
snapshots (and gc object counts by type) are taken every `--step` requests; what grew between the
first and the last is printed by allocation site, so a cache filling up (it levels off) and a
structure growing per request (it does not) tell themselves apart.

    .venv/bin/python bench/memory_growth.py [--clients 20] [--warmup 1500] [--step 1500] [--steps 4]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import re
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.app import create_app  # noqa: E402
from api.graphql.types.node import parse_global_id  # noqa: E402
from bench._load_ops import Caller, Recorder, World, roles  # noqa: E402
from bench.load_soak import API_KEY, TELEPHONY, prepare  # noqa: E402
from bench._servers import LOGIN  # noqa: E402
from bench.case_data import PASSWORD, SLUG  # noqa: E402
from tenants.platform import Platform  # noqa: E402
from tenants.settings import Settings  # noqa: E402

DB = "fc_bench_memory"


async def sign_in(http: httpx.AsyncClient, people: dict, projects: list[str]) -> tuple[dict, dict]:
    users = ["admin", *people["agents"].values(), *(u for staff in people["technicians"].values() for u, _ in staff)]
    tokens = {}
    for username in users:
        r = await http.post("/graphql", json={"query": LOGIN, "variables": {"i": {
            "organization": SLUG, "username": username, "password": PASSWORD}}})
        tokens[username] = {"authorization": "Bearer " + r.json()["data"]["login"]["accessToken"]}
    admin = tokens["admin"]
    key = (await http.post("/graphql", headers=admin, json={"query": API_KEY, "variables": {"i": {
        "name": "内存 memory", "access": "READ_WRITE"}}})).json()["data"]["createApiKey"]
    tokens["api-key"] = {"x-api-key": key["secret"]}
    integrations = {}
    for p in projects:
        made = (await http.post("/graphql", headers=admin, json={"query": TELEPHONY, "variables": {"p": p, "n": "话务 memory"}})).json()
        added = made["data"]["addTelephonyIntegration"]
        integrations[p] = (str(parse_global_id(added["integration"]["id"])[1]), added["secret"])
    return tokens, integrations


async def drive(callers: list[Caller], rec: Recorder, n: int) -> None:
    """Every caller in a loop until `n` more requests have been answered."""
    target = sum(len(v) for v in rec.latencies.values()) + n
    stop = asyncio.Event()

    async def loop(c: Caller) -> None:
        while not stop.is_set():
            await getattr(c, c.role)()
            if sum(len(v) for v in rec.latencies.values()) >= target:
                stop.set()

    await asyncio.gather(*(loop(c) for c in callers))


def types() -> Counter:
    return Counter(type(o).__name__ for o in gc.get_objects())


def caches(platform: Platform) -> dict[str, int]:
    """The sizes of the caches that fill as new statements and documents arrive: asyncpg's
    statement cache and SQLAlchemy's prepared-statement cache, summed over the pooled
    connections; SQLAlchemy's compiled cache; our own lru_caches."""
    from api.graphql import extensions
    from api.graphql.compiled import document
    from tenants import db, direct

    drivers = [o for o in gc.get_objects() if type(o).__name__ == "Connection" and type(o).__module__ == "asyncpg.connection"
               and not o.is_closed()]
    adapted = [o for o in gc.get_objects() if type(o).__name__ == "AsyncAdapt_asyncpg_connection"]
    compiled = platform.engine.sync_engine._compiled_cache
    texts = {k for a in adapted for k in a._prepared_statement_cache} | {
        e.query for c in drivers for e in c._stmt_cache._entries.values() if hasattr(e, "query")} | {
        k[0] for c in drivers for k in c._stmt_cache._entries}
    texts = {t for t in texts if isinstance(t, str)}
    shapes = {re.sub(r"\$\d+(, \$\d+)*", "$n", t) for t in texts}
    return {"connections": len(drivers), "asyncpg_statements": sum(len(c._stmt_cache) for c in drivers),
            "sqlalchemy_prepared": sum(len(a._prepared_statement_cache) for a in adapted),
            "compiled_cache": len(compiled) if compiled is not None else -1,
            "positional": direct.positional.cache_info().currsize, "begin_sql": db._kept_begin_sql.cache_info().currsize,
            "parsed": extensions.parsed.cache_info().currsize,
            "plans": document.plan_for.cache_info().currsize,
            "distinct_sql": len(texts), "sql_shapes": len(shapes),
            "per_connection_max": max((len(a._prepared_statement_cache) for a in adapted), default=0),
            "PreparedStatementState": sum(1 for o in gc.get_objects() if type(o).__name__ == "PreparedStatementState")}


WATCHED = ("PreparedStatementState", "TimerHandle", "RecordDescriptor", "Context")


def holders(before: set[int]) -> dict[str, tuple[Counter, int]]:
    """For the watched types, the objects that did not exist after the warm-up, and what refers
    to them (by type; a TimerHandle by its callback and how far off it is due)."""
    loop = asyncio.get_running_loop()
    out: dict[str, tuple[Counter, int]] = {}
    for name in WATCHED:
        new = [o for o in gc.get_objects() if type(o).__name__ == name and id(o) not in before]
        seen: Counter = Counter()
        for o in new[:400]:
            if name == "TimerHandle":
                seen[f"{getattr(o._callback, '__qualname__', o._callback)} in {round(o.when() - loop.time())} s"
                     f"{' cancelled' if o.cancelled() else ''}"] += 1
                continue
            for r in gc.get_referrers(o):
                if r is new or type(r).__name__ == "frame":
                    continue
                label = type(r).__qualname__
                if isinstance(r, dict):
                    owners = [h for h in gc.get_referrers(r) if getattr(h, "__dict__", None) is r]
                    label = f"dict of {type(owners[0]).__qualname__}" if owners else "dict"
                seen[label] += 1
        out[name] = (seen, len(new))
    return out


def _from_protocol(o: object) -> bool:
    tb = tracemalloc.get_object_traceback(o)
    return tb is not None and tb[-1].filename.endswith("selector_events.py")


def received_holders(top: int = 10) -> list[str]:
    """What holds the objects asyncpg decoded (allocated under the protocol's data_received) since
    tracing began, by the first object the collector tracks above them (untracked tuples, dicts
    and frozensets in between are walked through) and the type of what is held."""
    counts: Counter[tuple[str, str]] = Counter()
    found = 0
    for o in gc.get_objects():
        if type(o).__name__ == "frame":
            continue
        stack = [(r, 0) for r in gc.get_referents(o)]
        while stack:
            r, depth = stack.pop()
            if gc.is_tracked(r):
                continue
            if _from_protocol(r):
                found += 1
                counts[(type(o).__qualname__, type(r).__qualname__)] += 1
            if depth < 4 and isinstance(r, tuple | dict | frozenset):
                stack.extend((x, depth + 1) for x in gc.get_referents(r))
    sizes = Counter()
    snap = tracemalloc.take_snapshot()
    for t in snap.traces:
        if t.traceback[-1].filename.endswith("selector_events.py"):
            sizes[min(t.size // 256 * 256, 4096)] += 1
    return [f"found {found}; traced blocks by size (256-byte bins): {sorted(sizes.items())}"] + [
        f"{n}: {held} held by {holder}" for (holder, held), n in counts.most_common(top)]


async def main(args: argparse.Namespace) -> None:
    # Traced from the start, so that an object made before the first snapshot and freed after it
    # counts as the decrease it is (otherwise each statement re-prepared would look like growth).
    tracemalloc.start(args.frames)
    url, project_ids, people, known = await prepare(DB, args.projects, args.cases)
    settings = Settings(DATABASE_URL=url.replace("postgresql://", "postgresql+asyncpg://"),  # type: ignore[call-arg]
                        DB_POOL_SIZE=args.pool)
    platform = Platform.create(settings)
    app = create_app(platform, instrument=False, compiled=settings.compiled_reads)
    gc.freeze()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=120) as http:
            tokens, integrations = await sign_in(http, people, project_ids)
            world = World(project_ids, people["agents"], people["technicians"], tokens, integrations, known)
            rec = Recorder()
            seen: Counter = Counter()
            callers = []
            for i, role in enumerate(roles(args.clients)):
                callers.append(Caller(i, seen[role], role, world, rec, http))
                seen[role] += 1
            await drive(callers, rec, args.warmup)
            rec.acknowledged.clear()
            gc.collect()
            first, first_types, first_ids = tracemalloc.take_snapshot(), types(), {id(o) for o in gc.get_objects()}
            print("caches after warm-up:", caches(platform), flush=True)
            previous = first
            for step in range(args.steps):
                started = time.monotonic()
                await drive(callers, rec, args.step)
                rec.acknowledged.clear()
                for v in rec.latencies.values():
                    v.clear()
                gc.collect()
                snap = tracemalloc.take_snapshot()
                grown = sum(s.size_diff for s in snap.compare_to(previous, "filename"))
                total = sum(s.size_diff for s in snap.compare_to(first, "filename"))
                print(f"step {step + 1}: {args.step} requests in {time.monotonic() - started:.0f} s, "
                      f"traced +{grown / 1024:.0f} KiB this step, +{total / 1024:.0f} KiB since warm-up; "
                      f"errors so far {sum(e.count for e in rec.errors.values())}", flush=True)
                print("   caches:", caches(platform), flush=True)
                previous = snap
            print("\nlargest growth since warm-up, by traceback:")
            for stat in snap.compare_to(first, "traceback")[:args.top]:
                print(f"+{stat.size_diff / 1024:.1f} KiB, +{stat.count_diff} blocks")
                for line in stat.traceback.format()[-2 * args.frames:]:
                    print("   ", line)
            print("\nholders of what asyncpg decoded since warm-up:")
            for line in received_holders():
                print("  ", line)
            print("\nwho holds what appeared since warm-up:")
            for name, (x, n) in holders(first_ids).items():
                print(f"  {name}: {n} new, held by {x.most_common(6)}")
            diff = types() - first_types
            print("\nobjects by type, growth since warm-up:", diff.most_common(20))
            for op, e in rec.errors.items():
                print("errors", op, e.count, e.codes, e.samples[:1])
    finally:
        await platform.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--projects", type=int, default=20)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--pool", type=int, default=10, help="DB_POOL_SIZE (as many again in overflow)")
    ap.add_argument("--warmup", type=int, default=1500)
    ap.add_argument("--step", type=int, default=1500)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--frames", type=int, default=12)
    ap.add_argument("--top", type=int, default=12)
    asyncio.run(main(ap.parse_args()))
