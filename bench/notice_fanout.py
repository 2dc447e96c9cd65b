"""A notice to 10,000 flats, from approval to every batch at the messaging bridge
(docs/resident-services.md §5.2–5.3, §12).

Real processes on loopback: the API (`firstcall serve`), `firstcall scanner` (the outbox relay
and sweeps) and `firstcall worker`, with Redis as the broker; a local HTTP receiver stands in for
the messaging bridge (a signed webhook subscribed to `notice.recipients`) and a WeCom robot
(`notice.published`). Each run approves a new project-wide outage notice (its author may approve
it alone) and measures, from the `approveNotice` response (its transaction has committed):

- recipients: the fan-out consumer committed the 10,000 `notice_recipients` rows and the count;
- robot: the WeCom robot received the notice;
- all batches: the bridge received all 20 batches of 500 flats (each its own delivery).

    .venv/bin/python bench/notice_fanout.py [--flats 10000] [--runs 3]     (make bench-notices)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import to_global_id  # noqa: E402
from bench._database import PASSWORD, add_project, create_database, dsn  # noqa: E402
from bench._servers import LOGIN, Pipeline, flush_broker  # noqa: E402
from domain.directory.provisioning import ProjectInput  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "notice_fanout.json"
DB = "fc_bench_notices"
SLUG = "bench-notices"
BROKER = "redis://127.0.0.1:6379/7"
PORT = 8752
SECRET = "bench-bridge-secret-0123456789"
ADD = "mutation($i: DeliveryChannelInput!) { addDeliveryChannel(input: $i) { channel { id } errors { code message } } }"
DRAFT = "mutation($p: ID!, $i: NoticeInput!) { draftNotice(projectId: $p, input: $i) { notice { id } errors { code message } } }"
APPROVE = "mutation($n: ID!) { approveNotice(noticeId: $n) { notice { state } errors { code message } } }"


async def prepare(flats: int) -> tuple[str, uuid.UUID]:
    """A fresh database: one company, one project of `flats` flats in buildings of 500, an owner in each."""
    url, org_id, _ = await create_database(DB, slug=SLUG, name="通知基准")
    project = await add_project(url, org_id, ProjectInput("N1", "通知项目", "residential"))
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.execute(
            "INSERT INTO buildings (org_id, project_id, name) SELECT $1, $2, b || '号楼' FROM generate_series(1, $3) b",
            org_id, project, (flats + 499) // 500)
        await conn.execute(
            "INSERT INTO units (org_id, project_id, building_id, number, floor) "
            "SELECT $1, $2, b.id, lpad(i::text, 4, '0'), 1 + i / 100 FROM (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k "
            "FROM buildings WHERE project_id = $2) b CROSS JOIN generate_series(1, 500) i WHERE b.k * 500 + i <= $3",
            org_id, project, flats)
        await conn.execute(
            "WITH u AS (SELECT id, gen_random_uuid() AS rid, number FROM units WHERE project_id = $2), "
            "r AS (INSERT INTO residents (org_id, project_id, id, name) SELECT $1, $2, rid, '业主' || number FROM u) "
            "INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
            "SELECT $1, $2, id, rid, 'owner', true FROM u", org_id, project)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return dsn(url), project


class Receiver:
    """Counts what arrives at each path, with the time of arrival."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[str, float, int]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the stdlib's name
                body = self.rfile.read(int(self.headers["content-length"]))
                outer.arrivals.append((self.path.split("?")[0], time.time(), len(body)))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0}')

            def log_message(self, *args):
                """Silent: the bench prints its figures, not each request."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def at(self, path: str, since: float) -> list[tuple[str, float, int]]:
        return [a for a in self.arrivals if a[0] == path and a[1] >= since]


async def one_run(http: httpx.AsyncClient, conn: asyncpg.Connection, receiver: Receiver, project: uuid.UUID,
                  channels: list[str], flats: int, n: int) -> dict:
    batches = (flats + 499) // 500
    draft = {"title": f"停水通知 {n}", "body": "明日 9:00–12:00 全小区停水检修，请提前储水。", "kind": "OUTAGE", "audience": "PROJECT",
             "expiresAt": (datetime.now(UTC) + timedelta(days=1)).isoformat(), "channelIds": channels}
    made = (await http.post("/graphql", json={"query": DRAFT, "variables": {"p": to_global_id("Project", project), "i": draft}})).json()
    nid = made["data"]["draftNotice"]["notice"]["id"]
    sent = time.time()
    approved = (await http.post("/graphql", json={"query": APPROVE, "variables": {"n": nid}})).json()
    committed = time.time()
    assert approved["data"]["approveNotice"]["notice"]["state"] == "PUBLISHED", approved
    notice_id = await conn.fetchval("SELECT id FROM notices WHERE title = $1", draft["title"])
    recipients = robot = done = None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and (recipients is None or robot is None or done is None):
        now = time.time()
        if recipients is None and await conn.fetchval("SELECT recipient_count FROM notices WHERE id = $1", notice_id) == flats:
            recipients = now
        if robot is None and receiver.at("/wecom", sent):
            robot = receiver.at("/wecom", sent)[0][1]
        arrived = receiver.at("/bridge", sent)
        if done is None and len(arrived) >= batches:
            done = max(a[1] for a in arrived)
        await asyncio.sleep(0.01)
    if done is None or recipients is None or robot is None:
        raise RuntimeError(f"run {n}: not everything arrived within 300 s")
    bridge = receiver.at("/bridge", sent)
    return {"approve_ms": round((committed - sent) * 1000, 1), "recipients_s": round(recipients - committed, 3),
            "robot_s": round(robot - committed, 3), "all_batches_s": round(done - committed, 3),
            "first_batch_s": round(min(a[1] for a in bridge) - committed, 3), "batches": len(bridge),
            "batch_kb": round(statistics.mean(a[2] for a in bridge) / 1024, 1)}


async def run(url: str, project: uuid.UUID, flats: int, runs: int) -> dict:
    flush_broker(BROKER)
    receiver = Receiver()
    conn = await asyncpg.connect(url)
    results = []
    try:
        async with Pipeline(url, broker=BROKER, port=PORT), httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=60) as http:
            token = (await http.post("/graphql", json={"query": LOGIN, "variables": {"i": {
                "organization": SLUG, "username": "admin", "password": PASSWORD}}})).json()["data"]["login"]["accessToken"]
            http.headers["authorization"] = f"Bearer {token}"
            channels = []
            for c in ({"kind": "WEBHOOK", "name": "短信桥", "target": f"{receiver.url}/bridge", "secret": SECRET, "perMinute": 600,
                       "topics": ["notice.recipients"]},
                      {"kind": "WECOM", "name": "业主群", "target": f"{receiver.url}/wecom?key=k", "perMinute": 600,
                       "topics": ["notice.published"]}):
                body = (await http.post("/graphql", json={"query": ADD, "variables": {"i": c}})).json()
                assert body["data"]["addDeliveryChannel"]["errors"] == [], body
                channels.append(body["data"]["addDeliveryChannel"]["channel"]["id"])
            for n in range(runs):
                results.append(await one_run(http, conn, receiver, project, channels, flats, n + 1))
                print(json.dumps(results[-1]), flush=True)
                await asyncio.sleep(2)
    finally:
        await conn.close()
        receiver.server.shutdown()
    summary = {k: statistics.median(r[k] for r in results) for k in ("recipients_s", "robot_s", "first_batch_s", "all_batches_s")}
    return {"flats": flats, "runs": results, "median": summary, "cpus": os.cpu_count(),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flats", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    url, project = asyncio.run(prepare(args.flats))
    out = asyncio.run(run(url, project, args.flats, args.runs))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(json.dumps(out["median"], indent=2))


if __name__ == "__main__":
    main()
