"""A receiver that refuses an event often quotes it back. Its answer is kept on the delivery and
its attempt, where the delivery log shows it and erasing a resident rewrites it; the failure
raised for the retry — which the worker logs and a dead letter keeps — says only that it failed."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.workers.test_delivery import SECRET
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all

QUOTED = "unknown resident 王建国 (13800138000)"


class Quoting(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 — the stdlib's name
        self.rfile.read(int(self.headers["content-length"]))
        body = f'{{"error": "{QUOTED}"}}'.encode()
        self.send_response(422)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


async def test_a_receivers_answer_stays_on_the_attempt_not_in_the_dead_letter(gql, org, owner_engine, platform, stub_worker):
    stub_worker.get_actor("handle_event").options.update(max_retries=0)  # give up at once, for the test's sake
    server = ThreadingHTTPServer(("127.0.0.1", 0), Quoting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        admin = await gql.login(org)
        channel = {"kind": "WEBHOOK", "name": "业主App", "target": f"http://127.0.0.1:{server.server_address[1]}/hook",
                   "secret": SECRET, "topics": ["case.committed"]}
        assert (await gql("mutation($i: DeliveryChannelInput!) { addDeliveryChannel(input: $i) { errors { code } } }",
                          {"i": channel}, token=admin))["data"]["addDeliveryChannel"]["errors"] == []
        case = (await gql("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id } } }", {"i": {
            "projectId": to_global_id("Project", org.projects["P1"]), "kind": "REPAIR", "channel": "APP",
            "category": "water_power", "publicArea": "地库", "description": "地库漏水"}}, token=admin))["data"]["registerCase"]["case"]
        await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case["id"]}, token=admin)
        for _ in range(3):
            await relay_all(platform, stub_worker)
            await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, timeout=10_000, fail_fast=False)
        async with owner_engine.connect() as conn:
            letter = (await conn.execute(text("SELECT error FROM dead_letters WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
            attempt = (await conn.execute(text("SELECT error FROM delivery_attempts WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
            last = (await conn.execute(text("SELECT last_error FROM deliveries WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    finally:
        server.shutdown()
        server.server_close()
    assert "HTTP 422" in letter and "王建国" not in letter and "13800138000" not in letter
    assert QUOTED in attempt and QUOTED in last and attempt.startswith("HTTP 422")
