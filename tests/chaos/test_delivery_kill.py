"""The delivery worker killed mid-send. A real `firstcall worker` on RabbitMQ sends signed
webhooks to a loopback receiver that holds its answer to the first request of some deliveries;
while the worker waits — the receiver has the bytes, the worker has not committed — it gets
SIGKILL. RabbitMQ requeues the unacknowledged message at once, PostgreSQL rolls the send back, a
new worker sends it again with the same delivery id. So: every delivery arrives at least once,
the held ones twice with the same `X-Firstcall-Delivery`, the receiver's effect (deduplicated on
that id) is exactly once, every row ends `sent` with one successful attempt logged."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.notifications.direct import queue_direct
from domain.notifications.signing import verify_webhook
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from workers.broker import EVENTS_QUEUE, broker_reachable, make_broker
from workers.relay import relay_all

# Flushes a shared broker or kills and times processes on a busy machine: make test runs it in its serial phase.
pytestmark = pytest.mark.serial

ROOT = Path(__file__).resolve().parents[2]
FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))
BROKER = "amqp://guest:guest@127.0.0.1:5672/"
SECRET = "whsec-kill-0123456789"
DELIVERIES, HELD_EVERY = 12, 3
HOLD_SECONDS = 8.0  # under the sender's 10 s timeout: the worker is still waiting when it dies


class HoldingReceiver:
    """Records every request and applies its effect once per delivery id (what a receiver that
    honours `X-Firstcall-Delivery` does). The first request of a delivery marked `hold` is kept
    waiting for its answer until `cut()` or HOLD_SECONDS."""

    def __init__(self) -> None:
        self.wire: list[dict] = []
        self.effects: list[str] = []
        self.held: dict[str, threading.Event] = {}
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the stdlib's name
                length = int(self.headers["content-length"])
                body = self.rfile.read(length)
                if len(body) < length:
                    # The sender died mid-request (the worker killed while its other thread was
                    # sending): no request arrived, as any HTTP server would have it.
                    self.close_connection = True
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                delivery = headers["x-firstcall-delivery"]
                with outer.lock:
                    first = all(r["id"] != delivery for r in outer.wire)
                    outer.wire.append({"id": delivery, "headers": headers, "body": body})
                    if delivery not in outer.effects:
                        outer.effects.append(delivery)
                    release = threading.Event() if first and json.loads(body)["data"].get("hold") else None
                    if release:
                        outer.held[delivery] = release
                if release:
                    release.wait(HOLD_SECONDS)
                try:
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the worker that asked is gone

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def waiting(self) -> bool:
        with self.lock:
            return any(not e.is_set() for e in self.held.values())

    def cut(self) -> None:
        with self.lock:
            for e in self.held.values():
                e.set()


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.proc = env, log, None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([FIRSTCALL, "worker", "--threads", "2"], env=self.env, cwd=ROOT,
                                         stdout=subprocess.DEVNULL, stderr=out)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def receiver():
    r = HoldingReceiver()
    yield r
    r.cut()
    r.server.shutdown()
    r.server.server_close()


async def test_a_worker_killed_mid_send_sends_again_with_the_same_id_and_every_delivery_ends_sent(
        db_urls, owner_engine, org, platform, receiver, tmp_path):
    broker = make_broker(BROKER)
    assert broker_reachable(broker), "RabbitMQ is not reachable on 5672; `make services` starts it"
    broker.declare_queue(EVENTS_QUEUE)
    broker.flush_all()  # events of earlier runs' databases do not belong to this test
    env = {**os.environ, "DATABASE_URL": db_urls.owner.render_as_string(hide_password=False),
           "APP_DATABASE_URL": db_urls.app.render_as_string(hide_password=False), "BROKER_URL": BROKER,
           "FIRSTCALL_MODE": "development", "FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES": "true"}  # the receiver is on loopback
    ids = []
    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        for i in range(DELIVERIES):
            ref = uuid.uuid4()
            ids.append(str(await queue_direct(
                uow, org_id=org.org_id, project_id=org.projects["P1"], purpose="referral", ref_id=ref, kind="webhook",
                target=receiver.url, secret_enc=platform.cipher.encrypt(SECRET), topic="referral.sent", title="转办函",
                body=f"第{i + 1}件", data={"hold": i % HELD_EVERY == 0}, dedupe_key=f"kill:{ref}")))
        await uow.commit()
    held = {ids[i] for i in range(0, DELIVERIES, HELD_EVERY)}

    async def all_sent() -> bool:
        async with owner_engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FROM deliveries WHERE org_id = :o AND status = 'sent'"),
                                       {"o": org.org_id})).scalar_one() == DELIVERIES

    worker, kills = Worker(env, tmp_path / "worker.log"), 0
    worker.start()
    try:
        assert await relay_all(platform, broker) >= DELIVERIES  # with the projects' own events
        deadline = time.monotonic() + 35
        while not await all_sent():
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
            assert worker.proc.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            if receiver.waiting():  # the receiver has the bytes; the worker waits for the answer
                worker.kill()
                kills += 1
                receiver.cut()
                worker.start()
            await asyncio.sleep(0.05)
    finally:
        worker.stop()
        broker.close()

    wire = [r["id"] for r in receiver.wire]
    print(f"\ndelivery kill: {kills} kills, {len(wire)} requests for {DELIVERIES} deliveries")
    assert kills >= 1 and set(wire) == set(ids), "every delivery arrived at least once"
    assert all(wire.count(d) >= 2 for d in held), "each one held at the kill came again"
    for r in receiver.wire:  # again means the same message: same id, signed, same body id
        h = r["headers"]
        assert verify_webhook(SECRET, h["x-firstcall-timestamp"], r["body"], h["x-firstcall-signature"])
        assert json.loads(r["body"])["id"] == r["id"]
    assert sorted(receiver.effects) == sorted(ids), "the receiver's effect: exactly once per delivery"
    async with owner_engine.connect() as conn:
        o = {"o": org.org_id}
        rows = (await conn.execute(text(
            "SELECT d.status, count(a.*) FILTER (WHERE a.ok) AS ok FROM deliveries d "
            "LEFT JOIN delivery_attempts a ON a.org_id = d.org_id AND a.delivery_id = d.id WHERE d.org_id = :o GROUP BY d.org_id, d.id"),
            o)).all()
        marks = (await conn.execute(text("SELECT count(*) FROM processed_events WHERE org_id = :o AND consumer = 'send'"),
                                    o)).scalar_one()
    assert [tuple(r) for r in rows] == [("sent", 1)] * DELIVERIES, "each sent, its killed try rolled back"
    assert marks == DELIVERIES
