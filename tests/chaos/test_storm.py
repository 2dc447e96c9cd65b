"""Chaos beyond the scanner: a storm of intake and transitions over HTTP while an API process, the
worker and the scanner are killed with SIGKILL, PostgreSQL is restarted (fast, then as a crash)
and the broker is killed and started again. All of it on private instances (tests/chaos/
private_services.py): the machine's shared PostgreSQL and RabbitMQ are never restarted.

The client is an integrator's: a connection error, a 5xx or a top-level GraphQL error is "not
acknowledged" and is sent again with the same idempotency key until it is. Afterwards every
acknowledged write is in the database, exactly once; every SLA rung that fell due fired once and
was announced once; every outbox event was consumed once by each of its consumers; every
escalation told each of its recipients once; every delivery exists once per event and channel,
ended `sent` with one successful attempt, and reached the receiver (again only with the same id).
Small by default (CHAOS_STORM_CASES, 40 cases); `make chaos` runs 500."""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import signal
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import psutil
import pytest
from alembic import command
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from api.graphql.types.node import to_global_id
from domain.notifications.signing import verify_webhook
from migrations.runner import alembic_config, ensure_roles
from tests.chaos.private_services import PrivatePostgres, PrivateRabbit, free_port, wait_for_port
from tests.chaos.test_delivery_kill import HoldingReceiver
from tests.chaos.fleet import FIRSTCALL, ROOT
from tests.conftest import PASSWORD, add_unit, add_user, make_org
from workers.handlers import handlers_for

# Flushes a shared broker or kills and times processes on a busy machine: make test runs it in its serial phase.
pytestmark = pytest.mark.serial

CASES = int(os.environ.get("CHAOS_STORM_CASES", "40"))
LANES = 6
SECRET = "whsec-storm-0123456789"
STEPS = [("commitCase", "sup", ""), ("dispatchCase", "sup", ", $a: ID!|, assigneeId: $a"), ("acceptCase", "tech", ""),
         ("startCase", "tech", ""), ("resolveCase", "tech", '|, result: "已修好"')]
REGISTER = ("mutation($i: RegisterCaseInput!, $k: String) { registerCase(input: $i, idempotencyKey: $k) "
            "{ case { id state } errors { code message } } }")
STEP = "mutation($c: ID!, $k: String%s) { %s(caseId: $c, idempotencyKey: $k%s) { case { id state } errors { code message } } }"
TOPICS = {"commitCase": "case.committed", "dispatchCase": "case.dispatched", "acceptCase": "case.accepted",
          "startCase": "case.started", "resolveCase": "case.resolved"}


class Processes:
    """The API (`serve --processes 2`), a worker and a scanner, each with its log. Whatever exits
    by itself is started again, as a supervisor would, and counted."""

    def __init__(self, env: dict[str, str], logs: Path, api_port: int) -> None:
        self.env, self.logs = env, logs
        self.commands = {"api": ["serve", "--processes", "2", "--port", str(api_port)],
                         "worker": ["worker", "--threads", "4"], "scanner": ["scanner"]}
        self.procs: dict[str, subprocess.Popen] = {}
        self.exited: Counter[str] = Counter()

    def start(self, name: str) -> None:
        with (self.logs / f"{name}.log").open("ab") as out:
            self.procs[name] = subprocess.Popen([FIRSTCALL, *self.commands[name]], env=self.env, cwd=ROOT,
                                                stdout=out, stderr=out)

    def kill(self, name: str) -> None:
        self.procs[name].send_signal(signal.SIGKILL)
        self.procs[name].wait()

    def kill_api_child(self) -> int:
        """SIGKILL to one of uvicorn's worker processes; its supervisor starts another."""
        children = [c for c in psutil.Process(self.procs["api"].pid).children()
                    if "resource_tracker" not in " ".join(c.cmdline())]
        victim = random.choice(children)
        victim.send_signal(signal.SIGKILL)
        return int(victim.pid)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def tail(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in self.logs.glob("*.log"))


class Client:
    """Sends until acknowledged: a connection error, a 5xx or a top-level error is sent again with
    the same idempotency key. Counts what was not acknowledged, by kind."""

    def __init__(self, http: httpx.AsyncClient, on_timeout=None) -> None:
        self.http, self.unacknowledged, self.t0, self.on_timeout = http, Counter(), time.monotonic(), on_timeout
        self.when: list[tuple[float, str]] = []  # seconds into the storm, what came back

    async def __call__(self, query: str, variables: dict, token: str | None = None, deadline: float = 150) -> dict:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        until, last = time.monotonic() + deadline, ""
        while True:
            assert time.monotonic() < until, f"not acknowledged in {deadline:.0f} s: {variables}; last answer {last}"
            try:
                r = await self.http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
            except httpx.TransportError as e:
                self.unacknowledged[type(e).__name__] += 1
                last = repr(e)
                self.when.append((round(time.monotonic() - self.t0, 1), type(e).__name__))
                if isinstance(e, httpx.TimeoutException) and self.on_timeout is not None:
                    await self.on_timeout()
            else:
                if r.status_code >= 500:
                    last = r.text[:500]
                    self.unacknowledged[f"http {r.status_code}"] += 1
                else:
                    body, last = r.json(), r.text[:500]
                    if r.status_code == 200 and not body.get("errors") and body.get("data"):
                        return body["data"]
                    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
                    self.unacknowledged[f"http {r.status_code} {codes}"] += 1
            await asyncio.sleep(0.3)


def _migrate(url) -> None:
    """`firstcall migrate`'s steps, to every head: the roles, then the revisions."""
    asyncio.run(ensure_roles(url, "firstcall_app"))
    command.upgrade(alembic_config(url), "heads")


@pytest.fixture
def world(tmp_path):
    pg, rabbit = PrivatePostgres(), PrivateRabbit(tmp_path / "rabbit")
    rabbit.launch()  # it boots while the cluster is made and migrated
    try:
        pg.init()
        pg.start()
        _migrate(make_url(pg.url()))
        rabbit.wait()
        yield pg, rabbit
    finally:
        rabbit.kill()
        pg.stop(keep_log=tmp_path / "postgres.log")


def _env(pg: PrivatePostgres, rabbit: PrivateRabbit, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": pg.url(), "APP_DATABASE_URL": pg.url("firstcall_app", "firstcall_app"),
            "BROKER_URL": rabbit.url, "FIRSTCALL_MODE": "development", "FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES": "true",
            "FIRSTCALL_DATA_DIR": str(data_dir), "SECRET_KEY": secrets.token_urlsafe(32),
            "DATA_ENCRYPTION_KEY": secrets.token_urlsafe(32), "LOOKUP_HASH_KEY": secrets.token_urlsafe(32),
            "ACCESS_TOKEN_MINUTES": "120", "DB_POOL_SIZE": "5"}


async def _pull_timers(engine, org_id, stop: asyncio.Event) -> int:
    """Brings the ladder's first rungs (reminder, L1) of open targets due within seconds, as the
    SLA chaos test does: the rules then say which must fire. Errors while PostgreSQL restarts pass."""
    pulled = 0
    while not stop.is_set():
        try:
            async with engine.begin() as conn:
                pulled += (await conn.execute(text(
                    "UPDATE sla_timers SET due_at = clock_timestamp() + random() * interval '3 seconds' WHERE org_id = :o "
                    "AND fired_at IS NULL AND level IN ('remind', 'l1') AND due_at > clock_timestamp() + interval '5 seconds'"),
                    {"o": org_id})).rowcount
        except Exception:
            pass
        await asyncio.sleep(1.0)
    return pulled


async def _pending(engine, org_id) -> dict[str, int]:
    """What is still to happen: events unpublished or not yet consumed by every consumer of their
    topic, deliveries not sent, rungs due and not fired."""
    o = {"o": org_id}
    async with engine.connect() as conn:
        events = (await conn.execute(text("SELECT id, topic, published_at FROM outbox WHERE org_id = :o"), o)).all()
        done = {(r.event_id, r.consumer) for r in await conn.execute(
            text("SELECT event_id, consumer FROM processed_events WHERE org_id = :o"), o)}
        unsent = (await conn.execute(text("SELECT count(*) FROM deliveries WHERE org_id = :o AND status <> 'sent'"), o)).scalar()
        due = (await conn.execute(text(
            "SELECT count(*) FROM sla_timers WHERE org_id = :o AND fired_at IS NULL AND due_at <= now()"), o)).scalar()
    unconsumed = sum(1 for e in events for c, _ in handlers_for(e.topic) if (e.id, c) not in done)
    return {"unpublished": sum(e.published_at is None for e in events), "unconsumed": unconsumed, "unsent": unsent,
            "due": due}


async def test_a_storm_through_kill_9_and_restarts_loses_and_doubles_nothing(world, tmp_path):
    pg, rabbit = world
    rng = random.Random(19)
    engine = create_async_engine(make_url(pg.url()), pool_pre_ping=True)
    org = await make_org(engine, n_projects=1)
    unit, _ = await add_unit(engine, org, "P1")
    people = {name: await add_user(engine, org, name, role, "P1")
              for name, role in (("agent", "cs_agent"), ("sup", "cs_supervisor"), ("tech", "technician"))}
    (tmp_path / "logs").mkdir()
    api_port = free_port()
    procs = Processes(_env(pg, rabbit, tmp_path / "data"), tmp_path / "logs", api_port)
    receiver = HoldingReceiver()
    held: set[str] = set()
    stop, storm_over = asyncio.Event(), asyncio.Event()
    for name in procs.commands:
        procs.start(name)

    async def supervise() -> None:
        while not stop.is_set():
            for name, proc in list(procs.procs.items()):
                if name not in held and proc.poll() is not None:
                    procs.exited[name] += 1
                    procs.start(name)
            await asyncio.sleep(0.3)

    supervisor = asyncio.create_task(supervise())
    try:
        await asyncio.to_thread(wait_for_port, api_port, 120)
        # An answer slower than 10 s counts as lost: the request is sent again with its key.
        http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{api_port}", timeout=10)
        stalls: list[list[str]] = []

        async def sessions() -> None:
            """What the database's sessions were doing when an answer took more than 10 s: printed."""
            try:
                async with engine.connect() as conn:
                    stalls.append([" ".join(str(v) for v in r) for r in await conn.execute(text(
                        "SELECT pid, application_name, state, wait_event_type, wait_event, "
                        "round(extract(epoch FROM now() - xact_start)), left(query, 70) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"))])
            except Exception as e:
                stalls.append([repr(e)])

        call = Client(http, sessions)
        login = ("mutation($i: LoginInput!) { login(input: $i) { accessToken errors { code } } }")
        tokens = {u: (await call(login, {"i": {"organization": org.slug, "username": u, "password": PASSWORD}}))
                  ["login"]["accessToken"] for u in ("admin", "agent", "sup", "tech")}
        channel = await call("mutation($i: DeliveryChannelInput!) { addDeliveryChannel(input: $i) { channel { id } "
                             "errors { code message } } }",
                             {"i": {"kind": "WEBHOOK", "name": "风暴", "target": receiver.url, "secret": SECRET, "perMinute": 600,
                                    "topics": ["case.escalated", "case.resolved"], "minLevel": "l1"}}, tokens["admin"])
        assert channel["addDeliveryChannel"]["errors"] == [], channel

        run = secrets.token_hex(4)
        registered: dict[str, str] = {}  # idempotency key → the case id acknowledged
        acknowledged: dict[str, list[tuple[str, str]]] = {}  # case id → [(step, state)] acknowledged, in order
        keys: list[str] = []
        plans = [(i, i % (len(STEPS) + 1)) for i in range(CASES)]
        pace = float(os.environ.get("CHAOS_STORM_SECONDS", "30")) * LANES / max(1, CASES + sum(n for _, n in plans))

        async def lane(mine: list[tuple[int, int]]) -> None:
            for i, steps in mine:
                key = f"storm-{run}-{i}"
                keys.append(key)
                data = await call(REGISTER, {"k": key, "i": {
                    "projectId": to_global_id("Project", org.projects["P1"]), "kind": "REPAIR", "channel": "PHONE",
                    "category": "water_power", "unitId": to_global_id("Unit", unit), "description": f"风暴 {key}"}},
                    tokens["agent"])
                assert data["registerCase"]["errors"] == [], data
                case = data["registerCase"]["case"]
                registered[key], acknowledged[case["id"]] = case["id"], [("registerCase", case["state"])]
                for step, who, extra in STEPS[:steps]:
                    await asyncio.sleep(pace * rng.random() * 2)
                    step_key = f"{key}-{step}"
                    keys.append(step_key)
                    declared, argument = extra.split("|") if extra else ("", "")
                    variables = {"c": case["id"], "k": step_key, **({"a": to_global_id("User", people["tech"])} if declared else {})}
                    data = await call(STEP % (declared, step, argument), variables, tokens[who])
                    assert data[step]["errors"] == [], (step, data)
                    acknowledged[case["id"]].append((step, data[step]["case"]["state"]))

        async def chaos() -> list[tuple[float, str]]:
            done, t0 = [], time.monotonic()
            for action in ("broker", "api", "worker", "scanner", "pg fast", "api", "worker", "scanner", "pg immediate", "api"):
                await asyncio.sleep(rng.uniform(1.5, 3.0))
                if action == "broker":
                    rabbit.kill()
                    rabbit.launch()  # back in its own time, while the storm goes on
                elif action == "api":
                    procs.kill_api_child()
                elif action in ("worker", "scanner"):
                    held.add(action)
                    procs.kill(action)
                    await asyncio.sleep(rng.uniform(0.3, 1.5))
                    procs.start(action)
                    held.discard(action)
                else:
                    await asyncio.to_thread(pg.restart, action.split()[1])
                done.append((round(time.monotonic() - t0, 1), action))
            return done

        puller = asyncio.create_task(_pull_timers(engine, org.org_id, storm_over))
        started = call.t0 = time.monotonic()
        chaos_log, *_ = await asyncio.gather(chaos(), *(lane(plans[n::LANES]) for n in range(LANES)))
        storm_seconds = time.monotonic() - started
        storm_over.set()
        pulled = await puller
        await asyncio.to_thread(rabbit.wait)
        settle_started = time.monotonic()

        deadline, left = time.monotonic() + 240, {}
        while time.monotonic() < deadline:
            try:
                left = await _pending(engine, org.org_id)
            except Exception as e:
                left = {"error": str(e)}
            if not any(left.values()):
                break
            await asyncio.sleep(1.0)
        assert not any(left.values()), f"still pending after the storm: {left}\n{procs.tail()}"
        settle_seconds = time.monotonic() - settle_started
        await http.aclose()
    finally:
        stop.set()
        await supervisor
        procs.stop()
        receiver.cut()
        receiver.server.shutdown()
        receiver.server.server_close()

    o = {"o": org.org_id}
    async with engine.connect() as conn:
        cases = (await conn.execute(text("SELECT id, state, description FROM cases WHERE org_id = :o"), o)).all()
        topics = Counter((str(r.case_id), r.topic) for r in await conn.execute(text(
            "SELECT payload->>'case_id' AS case_id, topic FROM outbox WHERE org_id = :o AND payload ? 'case_id'"), o))
        stored_keys = (await conn.execute(text(
            "SELECT count(*), count(response) FROM idempotency_keys WHERE org_id = :o AND key LIKE :k"),
            {**o, "k": f"storm-{run}-%"})).one()
        fired = (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE org_id = :o AND fired_at IS NOT NULL"), o)).scalar()
        escalations = (await conn.execute(text(
            "SELECT count(*), count(*) FILTER (WHERE reason = 'timer') FROM escalations WHERE org_id = :o"), o)).one()
        doubles = (await conn.execute(text(
            "SELECT count(*) FROM (SELECT 1 FROM escalations WHERE org_id = :o GROUP BY case_id, target, round, level "
            "HAVING count(*) > 1) d"), o)).scalar()
        announced = (await conn.execute(text(
            "SELECT id, payload FROM outbox WHERE org_id = :o AND topic = 'case.escalated'"), o)).all()
        told = Counter((r.event_id, r.user_id) for r in await conn.execute(text(
            "SELECT event_id, user_id FROM notifications WHERE org_id = :o AND topic = 'case.escalated'"), o))
        deliverable = {r.id for r in await conn.execute(text(
            "SELECT id FROM outbox WHERE org_id = :o AND (topic = 'case.resolved' OR (topic = 'case.escalated' "
            "AND payload->>'level' IN ('l1', 'l2', 'l3')))"), o)}
        deliveries = (await conn.execute(text(
            "SELECT d.id, d.event_id, d.status, count(a.*) FILTER (WHERE a.ok) AS ok FROM deliveries d LEFT JOIN "
            "delivery_attempts a ON a.org_id = d.org_id AND a.delivery_id = d.id WHERE d.org_id = :o GROUP BY d.org_id, d.id"),
            o)).all()
        dead = (await conn.execute(text("SELECT count(*) FROM dead_letters WHERE org_id = :o"), o)).scalar()
    await engine.dispose()

    requests = sum(len(a) for a in acknowledged.values())
    print(f"\nstorm: {CASES} cases, {requests} writes acknowledged in {storm_seconds:.1f} s, all consumed "
          f"{settle_seconds:.1f} s later; not acknowledged and sent again: {dict(call.unacknowledged)} "
          f"(connection errors at {call.when}); chaos {chaos_log}; exited by themselves and restarted: "
          f"{dict(procs.exited)}; {pulled} rungs brought due, {fired} fired, {len(deliveries)} deliveries, "
          f"{len(receiver.wire)} requests received")
    for snapshot in stalls[:4]:
        print("sessions at a stalled answer:", *snapshot, sep="\n  ")
    # Every acknowledged write is there, once.
    by_id = {to_global_id("Case", r.id): r for r in cases}
    assert len(registered) == CASES and set(by_id) == set(registered.values()), "each registration once, none lost"
    assert sorted(r.description for r in cases) == sorted(f"风暴 {k}" for k in registered)
    for case_id, steps in acknowledged.items():
        assert by_id[case_id].state == steps[-1][1].lower(), (case_id, steps)
        case = str(by_id[case_id].id)
        assert topics[(case, "case.received")] == 1
        for step, _ in steps[1:]:
            assert topics[(case, TOPICS[step])] == 1, (case_id, step)
    assert tuple(stored_keys) == (len(keys), len(keys)), "each idempotency key kept once, with its answer"
    # Every rung that fell due fired once and was announced once; each recipient told once.
    assert escalations[0] == escalations[1] == fired and doubles == 0
    assert len(announced) == fired and len({r.payload["escalation_id"] for r in announced}) == fired
    expected = Counter((r.id, uid) for r in announced for uid in {uuid.UUID(u) for u in r.payload["recipients"]})
    assert told == expected, "one notification per escalation and recipient"
    # Every event consumed once by each consumer (checked in _pending), nothing dead-lettered; one
    # delivery per deliverable event, sent once, received (again only with its own id).
    assert dead == 0
    assert sorted(d.event_id for d in deliveries) == sorted(deliverable)
    assert {(d.status, d.ok) for d in deliveries} <= {("sent", 1)}
    assert set(r["id"] for r in receiver.wire) == {str(d.id) for d in deliveries}
    assert sorted(receiver.effects) == sorted(str(d.id) for d in deliveries)
    for r in receiver.wire:
        h = r["headers"]
        assert verify_webhook(SECRET, h["x-firstcall-timestamp"], r["body"], h["x-firstcall-signature"])
        assert json.loads(r["body"])["id"] == r["id"]
