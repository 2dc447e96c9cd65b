"""A wall of HQ screens (issue 19, item 3): 100 viewers poll the same `orgOverview` through HTTP while
nothing changes, against `firstcall serve --processes 2` — each process keeps its own answers
(api/graphql/overview_cache.py) and knows the company's overview version from PostgreSQL's
notifications (api/live/overview_versions.py), so a kept answer sends no statement. Reports p50 /
p95 / p99 of the kept path — each viewer polling once a second, from one Python client —, the same
with the answer's ETag sent back in If-None-Match (a 304 and no body), the kept answer under wrk
with 100 connections asking as fast as they can (the server's capacity for it: requests/s, p50 /
p90 / p99), then the made path's p95: sequential requests, each after a bump of the company's
version (outside the timing), so every one reads the rollups again.

    .venv/bin/python bench/hq_overview_polling.py [--cases 200000] [--projects 200] [--database fc_bench_hq_polling]
        [--viewers 100] [--polls 20] [--interval 1.0] [--seconds 15] [--uncached 100] [--pool 4]

The data set is bench/hq_overview.py's (made once per --database, reused afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import tempfile
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
NOT_MODIFIED = b"304"


def percentiles(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)

    def at(q: float) -> float:
        return round(timings[min(len(timings) - 1, max(0, int(len(timings) * q + 0.5) - 1))], 1)

    return {"n": len(timings), "p50_ms": round(statistics.median(timings), 1), "p95_ms": at(0.95), "p99_ms": at(0.99),
            "max_ms": round(timings[-1], 1)}


class Screen:
    """One HQ screen's keep-alive HTTP/1.1 connection, written by hand: httpx parsing 60 kB answers
    for 100 viewers in one process measured the client, not the server."""

    def __init__(self, base: str, headers: dict[str, str]) -> None:
        self.host, self.port = base.removeprefix("http://").split(":")
        body = json.dumps({"query": OVERVIEW}).encode()
        tag = f"if-none-match: {headers['if-none-match']}\r\n" if "if-none-match" in headers else ""
        self.request = (f"POST /graphql HTTP/1.1\r\nhost: {self.host}\r\ncontent-type: application/json\r\n{tag}"
                        f"authorization: {headers['authorization']}\r\ncontent-length: {len(body)}\r\n\r\n").encode() + body
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def ask(self) -> bytes:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, int(self.port))
        assert self.reader is not None
        self.writer.write(self.request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        if head.startswith(b"HTTP/1.1 304"):  # revalidated: no body
            return NOT_MODIFIED
        assert head.startswith(b"HTTP/1.1 200"), head
        length = re.search(rb"(?i)content-length:\s*(\d+)", head)
        assert length is not None, head
        return await self.reader.readexactly(int(length.group(1)))

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def viewer(base: str, headers: dict[str, str], polls: int, interval: float, timings: list[float], expected: bytes,
                 errors: list[bytes]) -> None:
    screen = Screen(base, headers)
    try:
        await asyncio.sleep(random.random() * interval)  # screens are not switched on in the same millisecond
        for _ in range(polls):
            started = time.perf_counter()
            answer = await screen.ask()
            if answer == expected:
                timings.append((time.perf_counter() - started) * 1000)
            else:  # counted, not timed: e.g. the database refusing a connection on a crowded machine
                errors.append(answer[:300])
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))
    finally:
        screen.close()


async def bumping(dsn: str, every: float, stop: asyncio.Event) -> int:
    """The company's version bumped every `every` seconds until `stop`: as if the rollups changed."""
    conn = await asyncpg.connect(dsn)
    bumps = 0
    try:
        while not stop.is_set():
            await conn.execute("UPDATE overview_versions SET version = version + 1 "
                               "WHERE org_id = (SELECT org_id FROM organizations WHERE slug = $1)", SLUG)
            bumps += 1
            await asyncio.sleep(every)
    finally:
        await conn.close()
    return bumps


async def polled(base: str, headers: dict[str, str], viewers: int, polls: int, interval: float, dsn: str | None = None,
                 bump_every: float = 0.0, revalidate: bool = False) -> dict:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        answers = []
        for _ in range(100):  # warm-up: both processes make and keep the answer
            answers.append((await client.post("/graphql", json={"query": OVERVIEW})).content)
            if len(answers) >= 20 and all(b'"errors"' not in a for a in answers[-10:]):
                break
            await asyncio.sleep(0.05)
        expected = answers[-1]
        assert b'"errors"' not in expected and len(set(answers[-10:])) == 1, expected[:300]
        if revalidate:  # the screens send the kept answer's tag back: every poll should be a 304
            headers = {**headers, "if-none-match": (await client.post("/graphql", json={"query": OVERVIEW})).headers["etag"]}
            expected = NOT_MODIFIED
    timings: list[float] = []
    errors: list[bytes] = []
    stop = asyncio.Event()
    bumper = asyncio.ensure_future(bumping(dsn, bump_every, stop)) if dsn and bump_every else None
    started = time.perf_counter()
    await asyncio.gather(*(viewer(base, headers, polls, interval, timings, expected, errors) for _ in range(viewers)))
    elapsed = time.perf_counter() - started
    stop.set()
    bumps = await bumper if bumper else 0
    if errors:
        print(f"{len(errors)} answers other than the kept one, e.g. {errors[0]!r}", file=sys.stderr)
    return {"viewers": viewers, "interval_s": interval, "version_bumps": bumps, **percentiles(timings), "errors": len(errors),
            "requests_per_s": round((len(timings) + len(errors)) / elapsed, 1)}


def hammered(base: str, headers: dict[str, str], connections: int, seconds: int) -> dict:
    """wrk: `connections` connections asking for the overview back to back."""
    token, body = headers["authorization"], json.dumps({"query": OVERVIEW})
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write('wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\n'
                     f'wrk.headers["authorization"] = "{token}"\nwrk.body = [==[{body}]==]\n')
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, f"{base}/graphql"],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)

    def ms(q: str) -> float:
        m = re.search(rf"{q}%\s+([\d.]+)(\w+)", out)
        assert m is not None, out
        return round(float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)], 1)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps is not None, out
    return {"connections": connections, "seconds": seconds, "requests_per_s": float(rps.group(1)), "p50_ms": ms("50"),
            "p90_ms": ms("90"), "p99_ms": ms("99"), "non_2xx": int(errors.group(1)) if errors else 0}


async def made(base: str, headers: dict[str, str], dsn: str, requests: int) -> dict:
    conn = await asyncpg.connect(dsn)
    timings: list[float] = []
    failed = 0
    try:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            for i in range(requests + 5):
                await conn.execute("UPDATE overview_versions SET version = version + 1 "
                                   "WHERE org_id = (SELECT org_id FROM organizations WHERE slug = $1)", SLUG)
                started = time.perf_counter()
                r = await client.post("/graphql", json={"query": OVERVIEW})
                elapsed = (time.perf_counter() - started) * 1000
                if r.status_code != 200 or "errors" in r.json():
                    failed += 1
                elif i >= 5:
                    timings.append(elapsed)
    finally:
        await conn.close()
    return {**percentiles(timings), "errors": failed}


async def measure(dsn: str, args: argparse.Namespace) -> dict:
    # A small pool: the database's connections are shared with whatever else runs on the machine.
    with serve(dsn, PORT, {"DB_POOL_SIZE": str(args.pool)}) as base:
        headers = bearer(base, SLUG, "admin", PASSWORD)
        kept = await polled(base, headers, args.viewers, args.polls, args.interval)
        # The same screens sending the answer's ETag back in If-None-Match: 304, no body.
        revalidated = await polled(base, headers, args.viewers, args.polls, args.interval, revalidate=True)
        capacity = hammered(base, headers, args.viewers, args.seconds)
        # The same viewers while the overview changes every 10 ms: nearly every poll makes the
        # answer again (concurrent misses of one version share one making).
        changing = await polled(base, headers, args.viewers, args.polls, args.interval, dsn, 0.01)
        fresh = await made(base, headers, dsn, args.uncached)
    return {"kept": kept, "revalidated": revalidated, "kept_wrk": capacity, "changing": changing, "made": fresh}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--projects", type=int, default=200)
    ap.add_argument("--database", default="fc_bench_hq_polling")
    ap.add_argument("--viewers", type=int, default=100)
    ap.add_argument("--polls", type=int, default=20)
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between one viewer's polls")
    ap.add_argument("--pool", type=int, default=4, help="DB_POOL_SIZE of each API process (twice that at most)")
    ap.add_argument("--seconds", type=int, default=15, help="of wrk")
    ap.add_argument("--uncached", type=int, default=100, help="sequential requests after a change each")
    args = ap.parse_args()
    dsn = asyncio.run(ensure(args.cases, args.database, args.projects))
    load = os.getloadavg()
    results = {"projects": args.projects, "cases": args.cases, "pool": args.pool, "load_average_before": [round(x, 2) for x in load],
               **asyncio.run(measure(dsn, args))}
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
