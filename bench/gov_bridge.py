"""The 12345 bridge under load, with real processes on loopback: the API (`firstcall serve`), the
relay (`firstcall scanner`) and a worker (`firstcall worker`) on Redis, and a government callback
receiver in this process.

1. Intake: signed orders posted to `POST /bridge/12345/{id}` by 16 concurrent clients; each is a
   gov_12345 case committed to the government's deadline, its order row and events, in one
   transaction. Reported: orders per second and the request latency.
2. Answer back: `answerGovOrder(PROGRESS)` one at a time with the pipeline at rest, measured from
   the mutation's response (committed) to the signed callback arriving at the receiver.

    .venv/bin/python bench/gov_bridge.py [--orders 400] [--answers 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import asyncpg
import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import to_global_id  # noqa: E402
from bench._database import PASSWORD, add_project, create_database, dsn  # noqa: E402
from bench._results import Figure, Target, record, results_dir  # noqa: E402
from bench._servers import LOGIN, Pipeline, flush_broker  # noqa: E402
from bench.alert_latency import at_rest  # noqa: E402
from bench.timers import percentile  # noqa: E402
from domain.notifications.signing import webhook_signature  # noqa: E402
from domain.directory.provisioning import ProjectInput  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "gov_bridge.json"
DB = "fc_bench_gov"
SLUG = "bench-gov"
BROKER = "redis://127.0.0.1:6379/6"
PORT = 8751
CLIENTS = 16
ADD_BRIDGE = ("mutation($i: GovBridgeInput!) { addGovBridge(input: $i) { bridge { id } secret errors { code message } } }")
ANSWER = ("mutation($o: ID!) { answerGovOrder(orderId: $o, kind: PROGRESS, text: \"已派维修人员到场查看\") "
          "{ order { id } errors { code message } } }")
URGENCIES = ("urgent", "day", "general", "complex")


class Receiver:
    """The government's callback endpoint: when each order's callback arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.changed = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the stdlib's name
                body = orjson.loads(self.rfile.read(int(self.headers["content-length"])))
                with outer.changed:
                    outer.arrived.setdefault(body["data"]["order_number"], time.time())
                    outer.changed.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cb"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, number: str, timeout: float = 30) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: number in self.arrived, timeout):
                raise RuntimeError(f"no callback for {number} within {timeout} s")
            return self.arrived[number]


async def prepare() -> tuple[str, uuid.UUID, uuid.UUID]:
    url, org_id, admin_id = await create_database(DB, slug=SLUG, name="12345基准")
    project = await add_project(url, org_id, ProjectInput("G1", "热线项目", "residential"))
    return dsn(url), project, admin_id


def signed(secret: str, payload: dict) -> tuple[bytes, dict[str, str]]:
    delivery = uuid.uuid4().hex
    body, ts = orjson.dumps({"id": delivery, **payload}), int(time.time())
    return body, {"content-type": "application/json", "x-firstcall-delivery": delivery,
                  "x-firstcall-timestamp": str(ts), "x-firstcall-signature": webhook_signature(secret, ts, body)}


def stats(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"p50_ms": round(percentile(ms, 0.5), 1), "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms), 1)}


async def run(url: str, project: uuid.UUID, admin_id: uuid.UUID, orders: int, answers: int, processes: int) -> dict:
    flush_broker(BROKER)
    receiver = Receiver()
    async with (Pipeline(url, broker=BROKER, port=PORT, processes=processes),
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as http):
        token = (await http.post("/graphql", json={"query": LOGIN, "variables": {"i": {
            "organization": SLUG, "username": "admin", "password": PASSWORD}}})).json()["data"]["login"]["accessToken"]
        headers = {"authorization": f"Bearer {token}"}
        made = (await http.post("/graphql", headers=headers, json={"query": ADD_BRIDGE, "variables": {"i": {
            "projectId": to_global_id("Project", project), "name": "市民热线", "city": "杭州市", "callbackUrl": receiver.url,
            "receiverId": to_global_id("User", admin_id)}}})).json()["data"]["addGovBridge"]
        assert made["errors"] == [], made
        conn = await asyncpg.connect(url)
        try:
            bridge_id = await conn.fetchval("SELECT id FROM gov_bridges LIMIT 1")
        finally:
            await conn.close()
        bridge_path = f"/bridge/12345/{bridge_id}"
        secret = made["secret"]
        latencies: list[float] = []
        order_ids: dict[str, str] = {}
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(orders):
            queue.put_nowait(i)

        async def client() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                number = f"HZ2026{i:06d}"
                body, h = signed(secret, {"type": "order", "order_number": number, "category": "供水", "category_code": "water_power",
                                          "urgency": URGENCIES[i % 4], "content": f"{i % 30 + 1}号楼停水，请尽快处理",
                                          "requester": {"name": "市民", "phone": "13800138000"}})
                sent = time.perf_counter()
                r = await http.post(bridge_path, content=body, headers=h)
                latencies.append(time.perf_counter() - sent)
                assert r.status_code == 200, r.text
                order_ids[number] = r.json()["order_id"]

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - started
        # Printed now: the intake's figures stand even if the consumers never catch up below.
        print(json.dumps({"intake_per_second": round(orders / elapsed, 1), "intake": stats(latencies)}), flush=True)
        conn = await asyncpg.connect(url)
        try:  # every order's events handled: the answers below do not queue behind them
            await at_rest(conn, timeout=600)
        finally:
            await conn.close()
        # How long the consumers (the kpi one above all) took to catch up with the burst.
        rest = time.perf_counter() - started - elapsed
        answer_latency: list[float] = []
        for number in list(order_ids)[:answers]:
            r = (await http.post("/graphql", headers=headers, json={"query": ANSWER, "variables": {
                "o": to_global_id("GovOrder", uuid.UUID(order_ids[number]))}})).json()
            committed = time.time()
            assert r["data"]["answerGovOrder"]["errors"] == [], r
            answer_latency.append(receiver.wait_for(number) - committed)
    receiver.server.shutdown()
    return {"orders": orders, "clients": CLIENTS, "api_processes": processes, "worker_threads": 4, "broker": "redis",
            "intake_per_second": round(orders / elapsed, 1), "intake": stats(latencies), "rest_after_intake_s": round(rest, 1),
            "answers": answers, "commit_to_callback": stats(answer_latency)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=400)
    ap.add_argument("--answers", type=int, default=100)
    ap.add_argument("--processes", type=int, default=2, help="API processes (serve --processes), as bench/intake_floor.py")
    args = ap.parse_args()
    url, project, admin_id = asyncio.run(prepare())
    results = asyncio.run(run(url, project, admin_id, args.orders, args.answers, args.processes))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    record("gov_bridge", args=args, parser=ap, figures=[
        Figure("orders into one project", results["intake_per_second"], "/s"), Figure("p99", results["intake"]["p99_ms"], "ms"),
        Figure("at rest after", results["rest_after_intake_s"], "s"),
        Figure("commit → callback p50", results["commit_to_callback"]["p50_ms"], "ms"),
        Figure("p99", results["commit_to_callback"]["p99_ms"], "ms")],
        targets=[Target("12345 orders into one project", results["intake_per_second"], ">=", 200, "/s", "issue 19")])


if __name__ == "__main__":
    main()
