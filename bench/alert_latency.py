"""Commit-to-alert latency (DESIGN §5: an alert within seconds of the commit that triggers it).

Real processes on loopback: the API (`firstcall serve`, uvicorn), `firstcall scanner` (the outbox
relay) and `firstcall worker`, with Redis as the broker. A bounded loop of triggers, one at a time
with the pipeline at rest in between: a risk-word case, a skip-level complaint, and the 6th
resident of one building reporting the same problem (the company's cluster threshold set to 6).
Measured from the `registerCase` response (its transaction has committed) to the moment the
worker's commit holding the alert row — and its `alert.raised` outbox row — is announced on the
outbox channel (LISTEN), and to that event's relay to the broker (`published_at`).

    .venv/bin/python bench/alert_latency.py [--triggers 200]     (make bench-alerts)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import from_global_id, to_global_id  # noqa: E402
from bench._database import PASSWORD, add_project, create_database, dsn  # noqa: E402
from bench._results import Figure, Target, record, results_dir  # noqa: E402
from bench._servers import LOGIN, Pipeline, flush_broker  # noqa: E402
from bench.timers import percentile  # noqa: E402
from domain.directory.provisioning import ProjectInput  # noqa: E402
from workers.handlers import handlers_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "alert_latency.json"
DB = "fc_bench_alerts"
SLUG = "bench-alerts"
BROKER = "redis://127.0.0.1:6379/6"
PORT = 8751
KINDS = ("risk_words", "skip_level", "cluster")
REGISTER = "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id } errors { code message } } }"
SETTINGS = "mutation($i: AlertSettingsInput!) { setAlertSettings(input: $i) { errors { code } } }"


async def prepare(clusters: int) -> tuple[str, uuid.UUID, list[list[tuple[uuid.UUID, uuid.UUID]]]]:
    """A fresh database: one company, one project, a building of six households per cluster."""
    url, org_id, _ = await create_database(DB, slug=SLUG, name="预警基准")
    project = await add_project(url, org_id, ProjectInput("A1", "预警项目", "residential"))
    conn = await asyncpg.connect(dsn(url))
    buildings = []
    try:
        for b in range(clusters):
            building = uuid.uuid4()
            await conn.execute("INSERT INTO buildings (org_id, project_id, id, name) VALUES ($1, $2, $3, $4)",
                               org_id, project, building, f"{b + 1}号楼")
            households = []
            for i in range(6):
                unit, resident = uuid.uuid4(), uuid.uuid4()
                await conn.execute("INSERT INTO units (org_id, project_id, id, building_id, number, floor) VALUES ($1, $2, $3, $4, $5, 1)",
                                   org_id, project, unit, building, f"1{i:02d}")
                await conn.execute("INSERT INTO residents (org_id, project_id, id, name) VALUES ($1, $2, $3, $4)",
                                   org_id, project, resident, f"住户{i}")
                await conn.execute("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
                                   "VALUES ($1, $2, $3, $4, 'owner', true)", org_id, project, unit, resident)
                households.append((unit, resident))
            buildings.append(households)
    finally:
        await conn.close()
    return dsn(url), project, buildings


async def at_rest(conn: asyncpg.Connection, timeout: float = 30) -> None:
    """Every event relayed and handled by each of its consumers: nothing queued ahead of a trigger."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        topics = await conn.fetch("SELECT topic, count(*) AS n, count(*) FILTER (WHERE published_at IS NULL) AS waiting "
                                  "FROM outbox GROUP BY topic")
        expected = sum(r["n"] * len(handlers_for(r["topic"])) for r in topics)
        if not any(r["waiting"] for r in topics) and await conn.fetchval("SELECT count(*) FROM processed_events") >= expected:
            return
        await asyncio.sleep(0.005)
    raise RuntimeError("the pipeline did not come to rest")


async def run(url: str, project: uuid.UUID, buildings: list, triggers: int) -> dict:
    flush_broker(BROKER)
    conn, listener = await asyncpg.connect(url), await asyncpg.connect(url)
    notified: list[float] = []
    woken = asyncio.Event()

    def on_commit(*_: object) -> None:
        notified.append(time.time())
        woken.set()

    await listener.add_listener("firstcall_outbox", on_commit)
    samples: dict[str, list[dict]] = {k: [] for k in KINDS}
    try:
        async with Pipeline(url, broker=BROKER, port=PORT), httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as http:
            token = (await http.post("/graphql", json={"query": LOGIN, "variables": {"i": {
                "organization": SLUG, "username": "admin", "password": PASSWORD}}})).json()["data"]["login"]["accessToken"]
            headers = {"authorization": f"Bearer {token}"}

            async def register(**fields) -> tuple[str, float, float]:
                sent = time.time()
                body = (await http.post("/graphql", headers=headers, json={"query": REGISTER, "variables": {"i": {
                    "projectId": to_global_id("Project", project), "channel": "PHONE", "category": "water_power", **fields}}})).json()
                done = time.time()
                assert body["data"]["registerCase"]["errors"] == [], body
                return body["data"]["registerCase"]["case"]["id"], sent, done

            settings = await http.post("/graphql", headers=headers, json={"query": SETTINGS, "variables": {"i": {"clusterOrange": 6}}})
            assert settings.json()["data"]["setAlertSettings"]["errors"] == [], settings.text
            for i in range(triggers):
                kind = KINDS[i % len(KINDS)]
                if kind == "cluster":
                    flats = [{"unitId": to_global_id("Unit", u), "reporterResidentId": to_global_id("Resident", r)}
                             for u, r in buildings[i // len(KINDS)]]
                    for flat in flats[:5]:
                        await register(kind="REPAIR", description="家里停水了", **flat)
                    trigger = {"kind": "REPAIR", "description": "也停水了", **flats[5]}
                elif kind == "risk_words":
                    trigger = {"kind": "REPAIR", "publicArea": "地下车库", "description": "车库渗水半年没人管，再不修就找媒体曝光"}
                else:
                    trigger = {"kind": "COMPLAINT", "channel": "GOV_12345", "publicArea": "小区大门", "description": "12345转来：道闸故障"}
                await at_rest(conn)
                notified.clear()
                woken.clear()
                gid, sent, committed = await register(**trigger)
                sample = await wait_for_alert(conn, kind, from_global_id(gid, "Case"), notified, woken)
                samples[kind].append({**sample, "sent": sent, "committed": committed})
            await at_rest(conn)
        # The relay of each alert.raised to the broker, on the database's clock (the same machine's).
        for rows in samples.values():
            for s in rows:
                published: datetime = await conn.fetchval(
                    "SELECT published_at FROM outbox WHERE topic = 'alert.raised' AND payload->>'alert_id' = $1", s["alert_id"])
                s["relayed"] = published.timestamp()
    finally:
        await listener.close()
        await conn.close()
    return summarise(samples, triggers)


async def wait_for_alert(conn: asyncpg.Connection, rule: str, case_id, notified: list[float], woken: asyncio.Event,
                         timeout: float = 30) -> dict:
    """Woken by each outbox commit; the alert's is the first after which its rows exist."""
    found: dict = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            await asyncio.wait_for(woken.wait(), timeout=max(deadline - time.monotonic(), 0.01))
        except TimeoutError:
            break
        woken.clear()
        seen = notified[-1]
        if "alert" not in found:
            alert_id = await conn.fetchval("SELECT id::text FROM alerts WHERE rule = $1 AND $2::uuid = ANY(case_ids)", rule, case_id)
            if alert_id is not None:
                found["alert"], found["alert_id"] = seen, alert_id
        if "alert_id" in found and await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE topic = 'alert.raised' AND payload->>'alert_id' = $1)", found["alert_id"]):
            found["outbox"] = seen
            return found
    raise RuntimeError(f"no {rule} alert for case {case_id} within {timeout} s")


def summarise(samples: dict[str, list[dict]], triggers: int) -> dict:
    def stats(values: list[float]) -> dict:
        ms = [v * 1000 for v in values]
        return {"p50_ms": round(percentile(ms, 0.5), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms), 1)}

    everything = [s for rows in samples.values() for s in rows]
    result: dict = {"triggers": triggers, "api_processes": 1, "worker_threads": 4, "broker": "redis",
                    "register_ms": stats([s["committed"] - s["sent"] for s in everything])["p50_ms"]}
    for name, rows in (("all", everything), *samples.items()):
        result[name] = {"n": len(rows), "commit_to_alert": stats([s["alert"] - s["committed"] for s in rows]),
                        "commit_to_outbox": stats([s["outbox"] - s["committed"] for s in rows]),
                        "commit_to_relayed": stats([s["relayed"] - s["committed"] for s in rows])}
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--triggers", type=int, default=200)
    args = ap.parse_args()
    url, project, buildings = asyncio.run(prepare(-(-args.triggers // len(KINDS))))
    results = asyncio.run(run(url, project, buildings, args.triggers))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    alert, relayed = results["all"]["commit_to_alert"], results["all"]["commit_to_relayed"]
    record("alert_latency", args=args, parser=ap, figures=[
        Figure("commit → alert p50", alert["p50_ms"], "ms"), Figure("p95", alert["p95_ms"], "ms"),
        Figure("p99", alert["p99_ms"], "ms"), Figure("relayed p99", relayed["p99_ms"], "ms")],
        targets=[Target("commit → alert p99", alert["p99_ms"], "<=", 1000, "ms", "DESIGN §5, within seconds")])


if __name__ == "__main__":
    main()
