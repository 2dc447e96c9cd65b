"""registerCase's CPU per request, in-process (issue 19 §2: where the request path's CPU goes).

The application as `firstcall serve` builds it (no tracing), called as an ASGI app straight from
this process — no HTTP client or server around it, so the process's CPU is the app's, the event
loop's and the database driver's. N registrations over 50 projects, each with an idempotency key
of its own, `--concurrency` at a time, after a warm-up; reported as process CPU (user + system)
per request, which the other work on a shared machine moves far less than wall time. `--profile`
repeats the measure under cProfile and adds where the time goes, by package and by function.
`--instructions` runs the whole under valgrind's callgrind instead, counting only the measured
requests: instructions per request, which the machine's load does not move (slow: ~50 times).

The data set is bench/case_data.py's into fc_bench_intake_profile (50 projects, 5,000 cases), kept
apart from bench/intake_floor.py's so the two can run side by side.

    .venv/bin/python bench/intake_profile.py [--requests 2000] [--concurrency 8] [--runs 3] [--profile]
    .venv/bin/python bench/intake_profile.py --instructions [--requests 200] [--warmup 100]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import asyncpg
import orjson
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.app import create_app  # noqa: E402
from api.graphql.types.node import to_global_id  # noqa: E402
from bench.case_data import PASSWORD, SLUG, dsn, ensure  # noqa: E402
from tenants import direct  # noqa: E402
from tenants.platform import Platform  # noqa: E402
from tenants.settings import Settings  # noqa: E402

DB = "fc_bench_intake_profile"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "intake_profile.json"
REGISTER = ("mutation($i: RegisterCaseInput!, $k: String) { registerCase(input: $i, idempotencyKey: $k) "
            "{ case { id number } errors { code } } }")


async def call(app, body: bytes, token: str | None) -> tuple[int, bytes]:
    """One POST /graphql through the ASGI interface, as uvicorn would make it."""
    headers = [(b"host", b"bench"), (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/graphql", "raw_path": b"/graphql", "root_path": "", "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000)}
    sent = False
    status, chunks = 0, []

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def _bodies(projects: list[uuid.UUID], run: str, n: int) -> list[bytes]:
    return [orjson.dumps({"query": REGISTER, "variables": {"k": f"{run}-{i}", "i": {
        "projectId": to_global_id("Project", projects[i % len(projects)]), "kind": "REPAIR", "channel": "PHONE",
        "category": "water_power", "publicArea": "一号楼大堂", "description": "大堂感应门不开 — benchmark"}}}) for i in range(n)]


async def _send_all(app, bodies: list[bytes], token: str, concurrency: int) -> list[float]:
    queue = list(reversed(bodies))
    latencies: list[float] = []

    async def worker() -> None:
        while queue:
            body = queue.pop()
            started = time.perf_counter()
            status, answer = await call(app, body, token)
            latencies.append(time.perf_counter() - started)
            data = orjson.loads(answer)
            if status != 200 or "errors" in data or data["data"]["registerCase"]["errors"]:
                raise RuntimeError(f"registerCase failed: {status} {answer[:300]!r}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def _by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time (tottime) summed by where the function lives: a library, our code, or builtins."""
    sums: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "site-packages/" in filename:
            key = filename.split("site-packages/")[1].split("/")[0]
        elif filename.startswith(str(ROOT)):
            key = "firstcall:" + "/".join(Path(filename).relative_to(ROOT).parts[:2])
        elif filename == "~":
            key = "builtins:" + name.split(" ")[-1].strip("<>")[:40]
        else:
            key = "stdlib:" + Path(filename).stem
        sums[key] += tottime
    return sorted(sums.items(), key=lambda kv: -kv[1])


async def _statements(platform: Platform, app, body: bytes, token: str) -> int:
    """SQL statements for one registration: those SQLAlchemy sends and those sent past it
    (tenants/direct.py); the BEGIN and COMMIT the tenant transaction sends on the driver aside."""
    seen = []

    def count(*_args) -> None:
        seen.append(1)

    def counted(send):
        async def sending(*args):
            seen.append(1)
            return await send(*args)
        return sending

    originals = {name: getattr(direct, name) for name in ("rows", "first", "scalar", "run")}
    for name, send in originals.items():
        setattr(direct, name, counted(send))
    event.listen(platform.engine.sync_engine, "before_cursor_execute", count)
    try:
        await call(app, body, token)
    finally:
        event.remove(platform.engine.sync_engine, "before_cursor_execute", count)
        for name, send in originals.items():
            setattr(direct, name, send)
    return len(seen)


async def measure(args: argparse.Namespace) -> dict:
    url = await ensure(50, 5000, database=DB, log=lambda *_: None)
    conn = await asyncpg.connect(dsn(url))
    try:
        projects = [r["id"] for r in await conn.fetch("SELECT id FROM projects ORDER BY code LIMIT 50")]
    finally:
        await conn.close()
    settings = Settings(DATABASE_URL=url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False),
                        DB_POOL_SIZE=10)  # type: ignore[call-arg]
    platform = Platform.create(settings)
    app = create_app(platform, instrument=False, compiled=settings.compiled_reads)
    gc.freeze()  # as app_from_environment does
    results: dict = {"requests": args.requests, "concurrency": args.concurrency, "projects": len(projects), "runs": []}
    try:
        login = orjson.dumps({"query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
                              "variables": {"i": {"organization": SLUG, "username": "admin", "password": PASSWORD}}})
        token = orjson.loads((await call(app, login, None))[1])["data"]["login"]["accessToken"]
        run = uuid.uuid4().hex[:8]
        await _send_all(app, _bodies(projects, f"{run}-warm", args.warmup), token, args.concurrency)
        results["statements_per_request"] = await _statements(platform, app, _bodies(projects, f"{run}-count", 1)[0], token)
        for r in range(args.runs):
            bodies = _bodies(projects, f"{run}-{r}", args.requests)
            load = os.getloadavg()[0]
            _callgrind(args, "-z", "-i on")
            cpu, wall = time.process_time(), time.perf_counter()
            latencies = await _send_all(app, bodies, token, args.concurrency)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            _callgrind(args, "-i off", "-d")
            latencies.sort()
            results["runs"].append({
                "cpu_us_per_request": round(cpu / args.requests * 1e6), "wall_s": round(wall, 2),
                "requests_per_cpu_s": round(args.requests / cpu), "load_average": load,
                "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
                "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1)})
            if args.in_callgrind:
                results["runs"][-1]["instructions_per_request"] = round(_dumped(args.in_callgrind, r + 1) / args.requests)
            print(json.dumps(results["runs"][-1]), flush=True)
        if args.profile:
            bodies = _bodies(projects, f"{run}-profile", args.requests)
            profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
            profiler.enable()
            await _send_all(app, bodies, token, args.concurrency)
            profiler.disable()
            stats = pstats.Stats(profiler)
            profiler.dump_stats(str(OUT.with_suffix(".prof")))
            total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
            results["profile_by_package"] = [(k, round(v / total * 100, 1)) for k, v in _by_package(stats)[:25]]
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(80)
            results["profile_text"] = str(OUT.with_suffix(".txt"))
            OUT.parent.mkdir(parents=True, exist_ok=True)
            OUT.with_suffix(".txt").write_text(out.getvalue())
    finally:
        await platform.close()
    return results


def _callgrind(args: argparse.Namespace, *commands: str) -> None:
    """Commands to callgrind about this process (`-z` zero, `-i on|off` instrument, `-d` dump), in turn."""
    if args.in_callgrind:
        for command in commands:
            subprocess.run(["callgrind_control", *command.split(), str(os.getpid())], check=True, capture_output=True)


def _dumped(directory: str, n: int) -> int:
    """The instructions of the n-th dump (callgrind writes `<out>.<n>`)."""
    totals = [line for line in Path(directory, f"cg.out.{n}").read_text().splitlines() if line.startswith("totals:")]
    return int(totals[-1].split()[1])


def _under_callgrind(args: argparse.Namespace) -> None:
    if not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={directory}/cg.out",
                        sys.executable, __file__, "--in-callgrind", directory, "--requests", str(args.requests),
                        "--warmup", str(args.warmup), "--concurrency", str(args.concurrency), "--runs", str(args.runs)],
                       check=True, stderr=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000, help="registrations a run")
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=8, help="requests in flight at once (the pool holds 10 + 10)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="one more pass under cProfile, broken down")
    ap.add_argument("--instructions", action="store_true", help="instructions per request, under valgrind's callgrind")
    ap.add_argument("--in-callgrind", help=argparse.SUPPRESS)  # the run --instructions starts, and its dumps' folder
    args = ap.parse_args()
    if args.instructions:
        return _under_callgrind(args)
    results = asyncio.run(measure(args))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    summary = {k: v for k, v in results.items() if k != "runs"}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
