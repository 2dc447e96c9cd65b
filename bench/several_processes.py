"""Several processes of each kind on one machine, over RabbitMQ (docs/scaling.md §1):
`firstcall serve --processes 2`, two `firstcall worker` and two `firstcall scanner`, the commands of
deploy/systemd/. A burst of registerCase goes through the API; then every SLA timer of those
cases is made due within a few seconds, so the two scanners race for them. Afterwards the script
counts, in the database, that each case's timers fired once, each escalation was announced and
published once, and each escalation's recipients got one notification each.

    python bench/several_processes.py [--cases 200] [--concurrency 24]     (make bench-several)

Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL) and RabbitMQ on 5672; it makes the vhost
`firstcall_scaling` with rabbitmqctl when missing, and the database `fc_several` afresh."""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import pika

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import to_global_id  # noqa: E402
from bench._database import PASSWORD, add_project, create_database, dsn  # noqa: E402
from domain.directory.provisioning import ProjectInput  # noqa: E402
from tenants.auth.passwords import hash_password  # noqa: E402
from workers.broker import make_broker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))
VHOST = "firstcall_scaling"
BROKER = f"amqp://guest:guest@127.0.0.1:5672/{VHOST}"
PORT = 8741
PROJECTS = 5
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken errors { code } } }"
REGISTER = ("mutation($i: RegisterCaseInput!, $k: String) { registerCase(input: $i, idempotencyKey: $k) "
            "{ case { id number } errors { code message } } }")
COMMANDS = {  # as deploy/systemd/*.service start them
    "api": ["serve", "--processes", "2"],
    "worker-1": ["worker", "--threads", "4"], "worker-2": ["worker", "--threads", "4"],
    "scanner-1": ["scanner"], "scanner-2": ["scanner"],
}


def ensure_vhost() -> None:
    try:
        pika.BlockingConnection(pika.URLParameters(BROKER)).close()
    except pika.exceptions.AMQPConnectionError:
        subprocess.run(["rabbitmqctl", "-q", "add_vhost", VHOST], check=False, capture_output=True)
        subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*"], check=True)
    broker = make_broker(BROKER)
    broker.declare_queue("events")
    broker.flush_all()  # nothing from an earlier run
    broker.close()


async def people(url: str, org_id: uuid.UUID, projects: dict[str, uuid.UUID]) -> None:
    """The ladder's recipients: a supervisor (L1) and a manager (L2) per project, HQ (L3)."""
    conn = await asyncpg.connect(url)
    try:
        secret = hash_password(PASSWORD)
        rows = [(f"sup{c.lower()}", "cs_supervisor", p) for c, p in projects.items()]
        rows += [(f"pm{c.lower()}", "project_manager", p) for c, p in projects.items()] + [("hq", "hq_supervisor", None)]
        for username, role, project in rows:
            user = uuid.uuid4()
            await conn.execute("INSERT INTO users (org_id, id, username, display_name, password_hash) VALUES ($1, $2, $3, $3, $4)",
                               org_id, user, username, secret)
            await conn.execute("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES ($1, $2, $3, $4)",
                               org_id, user, role, project)
    finally:
        await conn.close()


class Fleet:
    def __init__(self, url: str) -> None:
        self.env = {**os.environ, "DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://"), "BROKER_URL": BROKER,
                    "FIRSTCALL_PORT": str(PORT), "PYTHONPATH": str(ROOT),
                    # A shared server: 5 processes × (3 + 3 overflow) connections at most, plus the LISTEN sessions.
                    "DB_POOL_SIZE": "3", "SECRET_KEY": secrets.token_urlsafe(32),
                    "DATA_ENCRYPTION_KEY": secrets.token_urlsafe(32), "LOOKUP_HASH_KEY": secrets.token_urlsafe(32)}
        self.logs = {name: tempfile.TemporaryFile() for name in COMMANDS}
        self.procs = {name: subprocess.Popen([FIRSTCALL, *argv], env=self.env, cwd=ROOT, stdout=self.logs[name], stderr=subprocess.STDOUT)
                      for name, argv in COMMANDS.items()}

    def output(self, name: str) -> str:
        self.logs[name].seek(0)
        return self.logs[name].read().decode(errors="replace")

    async def ready(self) -> None:
        signs = {"worker-1": "worker running", "worker-2": "worker running", "scanner-1": "scanner firing", "scanner-2": "scanner firing"}
        async with httpx.AsyncClient() as http:
            for _ in range(600):
                for name, proc in self.procs.items():
                    if proc.poll() is not None:
                        raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.output(name)}")
                try:
                    api = (await http.get(f"http://127.0.0.1:{PORT}/readyz")).status_code == 200
                except httpx.HTTPError:
                    api = False
                if api and all(sign in self.output(name) for name, sign in signs.items()):
                    return
                await asyncio.sleep(0.5)
        raise RuntimeError("the processes did not become ready")

    def stop(self) -> dict[str, int]:
        for proc in self.procs.values():
            proc.send_signal(signal.SIGTERM)
        codes = {}
        for name, proc in self.procs.items():
            try:
                codes[name] = proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                codes[name] = proc.wait()
        return codes


async def burst(slug: str, projects: dict[str, uuid.UUID], cases: int, concurrency: int) -> tuple[float, int]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}", timeout=60) as http:
        login = await http.post("/graphql", json={"query": LOGIN, "variables": {"i": {
            "organization": slug, "username": "admin", "password": PASSWORD}}})
        headers = {"authorization": "Bearer " + login.json()["data"]["login"]["accessToken"]}
        ids = [to_global_id("Project", p) for p in projects.values()]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(cases):
            queue.put_nowait(i)
        failures = 0

        async def client() -> None:
            nonlocal failures
            while not queue.empty():
                i = queue.get_nowait()
                body = {"query": REGISTER, "variables": {"k": f"several-{i}", "i": {
                    "projectId": ids[i % len(ids)], "kind": "REPAIR", "channel": "PHONE", "category": "water_power",
                    "publicArea": "大堂", "description": f"第 {i} 号：大堂漏水"}}}
                r = await http.post("/graphql", json=body, headers=headers)
                data = r.json().get("data") or {}
                if r.status_code != 200 or not (data.get("registerCase") or {}).get("case"):
                    failures += 1
                    print("refused:", r.status_code, r.text[:300])

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - started, failures


async def count(url: str, org_id: uuid.UUID) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        q = {
            "cases": "SELECT count(*) FROM cases WHERE org_id = $1",
            "timers": "SELECT count(*) FROM sla_timers WHERE org_id = $1",
            "timers_unfired": "SELECT count(*) FROM sla_timers WHERE org_id = $1 AND fired_at IS NULL",
            "escalations": "SELECT count(*) FROM escalations WHERE org_id = $1 AND reason = 'timer'",
            # a timer's escalation more than once, or never
            "timers_fired_twice": """SELECT count(*) FROM (SELECT 1 FROM escalations WHERE org_id = $1 AND reason = 'timer'
                                     GROUP BY case_id, target, round, level HAVING count(*) > 1) d""",
            "timers_without_escalation": """SELECT count(*) FROM sla_timers t WHERE t.org_id = $1 AND NOT EXISTS (
                                     SELECT 1 FROM escalations e WHERE e.org_id = t.org_id AND e.case_id = t.case_id
                                     AND e.target = t.target AND e.round = t.round AND e.level = t.level)""",
            "escalated_events": "SELECT count(*) FROM outbox WHERE org_id = $1 AND topic = 'case.escalated'",
            "events": "SELECT count(*) FROM outbox WHERE org_id = $1",
            "events_unpublished": "SELECT count(*) FROM outbox WHERE org_id = $1 AND published_at IS NULL",
            # the relay marks a row published with attempts + 1: two scanners publishing one row would make it 2
            "events_published_twice": "SELECT count(*) FROM outbox WHERE org_id = $1 AND attempts > 1",
            "notifications_expected": """SELECT coalesce(sum(cardinality(recipients)), 0) FROM escalations
                                         WHERE org_id = $1 AND reason = 'timer'""",
            "notifications": "SELECT count(*) FROM notifications WHERE org_id = $1 AND topic = 'case.escalated'",
            "escalations_missing_a_notification": """SELECT count(*) FROM (
                   SELECT o.id FROM outbox o JOIN LATERAL jsonb_array_elements_text(o.payload->'recipients') r(u) ON true
                   LEFT JOIN notifications n ON n.org_id = o.org_id AND n.event_id = o.id AND n.user_id = r.u::uuid
                   WHERE o.org_id = $1 AND o.topic = 'case.escalated' AND n.id IS NULL GROUP BY o.id) m""",
            "inbox_handled": "SELECT count(*) FROM processed_events WHERE org_id = $1 AND consumer = 'inbox'",
            "dead_letters": "SELECT count(*) FROM dead_letters WHERE org_id = $1",
        }
        return {name: int(await conn.fetchval(sql, org_id)) for name, sql in q.items()}
    finally:
        await conn.close()


async def main(cases: int, concurrency: int) -> None:
    ensure_vhost()
    url_, org_id, _ = await create_database("fc_several", slug="several", name="多进程物业")
    projects = {f"P{i + 1}": await add_project(url_, org_id, ProjectInput(f"P{i + 1}", f"项目{i + 1}", "residential"))
                for i in range(PROJECTS)}
    url = dsn(url_)
    await people(url, org_id, projects)
    fleet = Fleet(url)
    try:
        t0 = time.perf_counter()
        await fleet.ready()
        print(f"the API (2 processes), 2 workers and 2 scanners ready in {time.perf_counter() - t0:.1f} s")
        seconds, failures = await burst("several", projects, cases, concurrency)
        print(f"registerCase: {cases} over {PROJECTS} projects, {concurrency} at a time: {seconds:.1f} s "
              f"({cases / seconds:.0f}/s), {failures} refused")
        conn = await asyncpg.connect(url)
        try:
            made_due = await conn.execute(
                "UPDATE sla_timers SET due_at = clock_timestamp() + interval '1 second' + random() * interval '5 seconds' "
                "WHERE org_id = $1 AND fired_at IS NULL", org_id)
        finally:
            await conn.close()
        print(f"timers made due within 6 s: {made_due.split()[-1]}")
        # Until everything is done, or nothing has moved for a minute (something was lost).
        last, moved = None, time.monotonic()
        t0 = time.perf_counter()
        while True:
            c = await count(url, org_id)
            if c["timers_unfired"] == 0 and c["events_unpublished"] == 0 and c["notifications"] >= c["notifications_expected"]:
                break
            if c != last:
                last, moved = c, time.monotonic()
            elif time.monotonic() - moved > 60:
                print("nothing moved for 60 s")
                break
            await asyncio.sleep(1)
        print(f"timers fired, escalations published and notified in {time.perf_counter() - t0:.1f} s")
        await asyncio.sleep(3)  # anything doubled would arrive now
        c = await count(url, org_id)
        width = max(map(len, c))
        for name, value in c.items():
            print(f"  {name:<{width}} {value}")
        once = (c["timers_fired_twice"] == 0 and c["timers_without_escalation"] == 0 and c["escalated_events"] == c["escalations"]
                and c["events_published_twice"] == 0 and c["events_unpublished"] == 0
                and c["notifications"] == c["notifications_expected"] and c["escalations_missing_a_notification"] == 0)
        print("each timer fired once, each escalation published once, each recipient notified once:", "yes" if once else "NO")
    finally:
        codes = fleet.stop()
        print("exit statuses after SIGTERM:", codes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=24)
    args = parser.parse_args()
    asyncio.run(main(args.cases, args.concurrency))
