"""SLA timers at scale (DESIGN §10): one million open timers in the database; a wave of them falls
due while `firstcall scanner` runs (with Redis as the broker and a `firstcall worker`); measured:
lateness of each firing (fired_at − due_at, p50 / p99, target p99 ≤ 1 s), and the outbox relay's
throughput and lag (commit of the escalation event → published to the broker).

    .venv/bin/python bench/timers.py [--timers 1000000] [--wave 20000] [--seconds 20]   (make bench-timers)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._database import add_project, create_database, dsn, server_url  # noqa: E402
from bench._results import Figure, Target, record, results_dir  # noqa: E402
from domain.directory.provisioning import ProjectInput  # noqa: E402
from workers.broker import make_broker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "timers.json"
DB = "fc_bench_timers"
BROKER = "redis://127.0.0.1:6379/4"
LEVELS = ("remind", "l1", "l2", "l3")


async def ensure(timers: int) -> str:
    """The database with `timers` open timers (a quarter as many cases), due in a month or more."""
    url = server_url().set(database=DB)
    try:
        conn = await asyncpg.connect(dsn(url))
        try:
            if await conn.fetchval("SELECT to_regclass('sla_timers') IS NOT NULL") and \
                    await conn.fetchval("SELECT count(*) FROM sla_timers") >= timers:
                print(f"reusing {DB}")
                return dsn(url)
        finally:
            await conn.close()
    except asyncpg.InvalidCatalogNameError:
        pass
    url, org_id, admin_id = await create_database(DB, slug="bench-timers", name="计时基准")
    project = await add_project(url, org_id, ProjectInput("T1", "计时项目", "residential"))
    conn = await asyncpg.connect(dsn(url))
    try:
        category = await conn.fetchval("SELECT id FROM case_categories WHERE org_id = $1 LIMIT 1", org_id)
        now, n_cases, started = datetime.now(UTC), timers // len(LEVELS), time.time()
        ids = [uuid.uuid4() for _ in range(n_cases)]
        await conn.copy_records_to_table("cases", columns=[
            "org_id", "project_id", "id", "number", "kind", "severity", "channel", "category_id", "first_receiver_id",
            "description", "state", "received_at"], records=[
            (org_id, project, cid, f"GD-T1-{i:08d}", "repair", "general", "phone", category, admin_id, "计时", "received", now)
            for i, cid in enumerate(ids)])
        await conn.copy_records_to_table("case_targets", columns=[
            "org_id", "project_id", "case_id", "target", "clock", "started_at", "budget_minutes", "due_at"], records=[
            (org_id, project, cid, "resolve", "always", now, 1440.0, now + timedelta(days=30)) for cid in ids])
        await conn.copy_records_to_table("sla_timers", columns=[
            "org_id", "project_id", "case_id", "target", "round", "level", "due_at"], records=[
            (org_id, project, cid, "resolve", 0, level, now + timedelta(days=30 + i)) for cid in ids
            for i, level in enumerate(LEVELS)])
        print(f"loaded {n_cases * len(LEVELS):,} timers in {time.time() - started:.0f} s; VACUUM ANALYZE …")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return dsn(url)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


async def run(url: str, wave: int, seconds: float, scanners: int) -> dict:
    conn = await asyncpg.connect(url)
    try:
        # Earlier waves: back to the far future, forgotten.
        await conn.execute("DELETE FROM escalations; DELETE FROM outbox WHERE topic = 'case.escalated'")
        await conn.execute("UPDATE sla_timers SET fired_at = NULL, due_at = now() + interval '30 days' WHERE fired_at IS NOT NULL")
        open_timers = await conn.fetchval("SELECT count(*) FROM sla_timers WHERE fired_at IS NULL")
        broker = make_broker(BROKER)
        broker.declare_queue("events")
        broker.flush_all()
        broker.close()
        env = {**os.environ, "DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://"), "BROKER_URL": BROKER}
        procs = [subprocess.Popen([str(ROOT / ".venv" / "bin" / "firstcall"), "scanner"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(scanners)]
        procs.append(subprocess.Popen([str(ROOT / ".venv" / "bin" / "firstcall"), "worker", "--threads", "4"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        try:
            await asyncio.sleep(5)  # started and connected
            await conn.execute(
                "UPDATE sla_timers SET due_at = clock_timestamp() + interval '1 second' + random() * make_interval(secs => $2) "
                "WHERE (case_id, level) IN (SELECT case_id, level FROM sla_timers WHERE fired_at IS NULL LIMIT $1)",
                wave, seconds)
            deadline = time.monotonic() + seconds + 120
            while time.monotonic() < deadline:
                await asyncio.sleep(1)
                pending = await conn.fetchval(
                    "SELECT (SELECT count(*) FROM sla_timers WHERE fired_at IS NULL AND due_at < now() + interval '1 day') "
                    "+ (SELECT count(*) FROM outbox WHERE topic = 'case.escalated' AND published_at IS NULL)")
                if pending == 0:
                    break
        finally:
            for p in procs:
                p.send_signal(signal.SIGTERM)
            for p in procs:
                p.wait(30)
        late = [float(r[0]) for r in await conn.fetch("SELECT extract(epoch FROM fired_at - due_at) FROM escalations")]
        relay = await conn.fetch(
            "SELECT extract(epoch FROM published_at - created_at) AS lag, published_at FROM outbox "
            "WHERE topic = 'case.escalated' AND published_at IS NOT NULL ORDER BY published_at")
        lags = [float(r["lag"]) for r in relay]
        span = (relay[-1]["published_at"] - relay[0]["published_at"]).total_seconds() if len(relay) > 1 else float("nan")
        return {
            "open_timers": open_timers, "wave": wave, "wave_seconds": seconds, "scanners": scanners,
            "fired": len(late), "lateness_p50_ms": round(percentile(late, 0.5) * 1000, 1),
            "lateness_p99_ms": round(percentile(late, 0.99) * 1000, 1), "lateness_max_ms": round(max(late) * 1000, 1) if late else None,
            "relayed": len(relay), "relay_per_s": round(len(relay) / span, 1) if span == span and span > 0 else None,
            "relay_lag_p50_ms": round(percentile(lags, 0.5) * 1000, 1), "relay_lag_p99_ms": round(percentile(lags, 0.99) * 1000, 1),
        }
    finally:
        await conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timers", type=int, default=1_000_000)
    ap.add_argument("--wave", type=int, default=20_000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--scanners", type=int, default=2)
    args = ap.parse_args()
    url = asyncio.run(ensure(args.timers))
    results = asyncio.run(run(url, args.wave, args.seconds, args.scanners))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    record("timers", args=args, parser=ap, figures=[
        Figure("lateness p50", results["lateness_p50_ms"], "ms"), Figure("p99", results["lateness_p99_ms"], "ms"),
        Figure("fired", results["fired"]), Figure("of open timers", results["open_timers"]),
        Figure("relayed", results["relay_per_s"] or 0.0, "/s"), Figure("relay lag p99", results["relay_lag_p99_ms"], "ms")],
        targets=[Target("lateness p99, a million open timers", results["lateness_p99_ms"], "<=", 1000, "ms")])


if __name__ == "__main__":
    main()
