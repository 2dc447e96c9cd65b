"""A wall of HQ screens (issue 19, item 3): 100 viewers poll the same `orgOverview` through HTTP
while nothing changes, against `firstcall serve --processes 2` — each process keeps its own answers
(api/graphql/overview_cache.py), and each request still reads the company's overview version.
Reports p50 / p95 / p99 of the kept path, then the made path's p95: sequential requests, each
after a bump of the company's version (outside the timing), so every one reads the rollups again.

    .venv/bin/python bench/hq_overview_polling.py [--cases 200000] [--projects 200] [--database fc_bench_hq_polling]
        [--viewers 100] [--polls 20] [--interval 1.0] [--uncached 100]

The data set is bench/hq_overview.py's (made once per --database, reused afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._database import PASSWORD  # noqa: E402
from bench._servers import bearer, serve  # noqa: E402
from bench.hq_overview import OVERVIEW, SLUG, ensure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "hq_overview_polling.json"
PORT = 8742


def percentiles(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)

    def at(q: float) -> float:
        return round(timings[min(len(timings) - 1, max(0, int(len(timings) * q + 0.5) - 1))], 1)

    return {"n": len(timings), "p50_ms": round(statistics.median(timings), 1), "p95_ms": at(0.95), "p99_ms": at(0.99),
            "max_ms": round(timings[-1], 1)}


async def viewer(base: str, headers: dict[str, str], polls: int, interval: float, timings: list[float], expected: str) -> None:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        await asyncio.sleep(random.random() * interval)  # screens are not switched on in the same millisecond
        for _ in range(polls):
            started = time.perf_counter()
            r = await client.post("/graphql", json={"query": OVERVIEW})
            timings.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200 and r.text == expected, r.text[:300]
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))


async def polled(base: str, headers: dict[str, str], viewers: int, polls: int, interval: float) -> dict:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        expected = ""
        for _ in range(20):  # warm-up: both processes make and keep the answer
            expected = (await client.post("/graphql", json={"query": OVERVIEW})).text
    timings: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(viewer(base, headers, polls, interval, timings, expected) for _ in range(viewers)))
    elapsed = time.perf_counter() - started
    return {"viewers": viewers, "interval_s": interval, **percentiles(timings), "requests_per_s": round(len(timings) / elapsed, 1)}


async def made(base: str, headers: dict[str, str], dsn: str, requests: int) -> dict:
    conn = await asyncpg.connect(dsn)
    timings: list[float] = []
    try:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            for i in range(requests + 5):
                await conn.execute("UPDATE overview_versions SET version = version + 1 "
                                   "WHERE org_id = (SELECT org_id FROM organizations WHERE slug = $1)", SLUG)
                started = time.perf_counter()
                r = await client.post("/graphql", json={"query": OVERVIEW})
                elapsed = (time.perf_counter() - started) * 1000
                assert r.status_code == 200 and "errors" not in r.json(), r.text[:300]
                if i >= 5:
                    timings.append(elapsed)
    finally:
        await conn.close()
    return percentiles(timings)


async def measure(dsn: str, args: argparse.Namespace) -> dict:
    with serve(dsn, PORT) as base:
        headers = bearer(base, SLUG, "admin", PASSWORD)
        kept = await polled(base, headers, args.viewers, args.polls, args.interval)
        fresh = await made(base, headers, dsn, args.uncached)
    return {"kept": kept, "made": fresh}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--projects", type=int, default=200)
    ap.add_argument("--database", default="fc_bench_hq_polling")
    ap.add_argument("--viewers", type=int, default=100)
    ap.add_argument("--polls", type=int, default=20)
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between one viewer's polls")
    ap.add_argument("--uncached", type=int, default=100, help="sequential requests after a change each")
    args = ap.parse_args()
    dsn = asyncio.run(ensure(args.cases, args.database, args.projects))
    load = os.getloadavg()
    results = {"projects": args.projects, "cases": args.cases, "load_average_before": [round(x, 2) for x in load],
               **asyncio.run(measure(dsn, args))}
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
