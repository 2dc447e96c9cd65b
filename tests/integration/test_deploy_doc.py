"""docs/deploy.md as written: each systemd unit's command (deploy/systemd/*.service, which the doc
quotes) started exactly as its ExecStart says — the migration as a one-shot that exits 0, the API,
the worker and the scanner as long-running processes — in production mode against a scratch
database and RabbitMQ on this machine; each must show it is working, then stop on SIGTERM with
exit status 0. And every setting the code reads from the environment is documented."""

from __future__ import annotations

import asyncio
import configparser
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import pika
import psutil
import pytest

from tenants.settings import Settings
from tests.conftest import clone_database, drop_database

# Processes, their connections counted by port, and the RabbitMQ vhost of its own: make test runs it in its serial phase.
pytestmark = pytest.mark.serial

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deploy.md"
UNITS = ROOT / "deploy" / "systemd"
FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))
VHOST = "firstcall_deploy_test"  # its own vhost: no other test's queue is consumed by this worker
BROKER = f"amqp://guest:guest@127.0.0.1:5672/{VHOST}"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the keys' case
    parser.read(UNITS / f"firstcall-{name}.service")
    return parser


def exec_start(name: str) -> list[str]:
    """The unit's command, with its installed path swapped for this checkout's `firstcall`."""
    argv = shlex.split(unit(name)["Service"]["ExecStart"])
    assert Path(argv[0]).name == "firstcall", argv
    return [FIRSTCALL, *argv[1:]]


def documented_variables() -> set[str]:
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DOC.read_text()))


def code_variables() -> set[str]:
    """Every alias of Settings, and every variable a module reads with os.environ directly."""
    names = {field.alias for field in Settings.model_fields.values() if field.alias}
    for folder in ("api", "domain", "tenants", "workers", "firstcall"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(re.findall(r"os\.environ(?:\.get\(|\[)\"([A-Z0-9_]+)\"", path.read_text()))
    return names


def test_every_setting_is_documented() -> None:
    missing = code_variables() - documented_variables()
    assert not missing, f"docs/deploy.md does not document: {sorted(missing)}"
    assert "FIRSTCALL_MODE" in code_variables() and "DATABASE_URL" in code_variables()


def test_the_doc_quotes_each_units_command() -> None:
    text = DOC.read_text()
    for name in ("migrate", "api", "worker", "scanner"):
        assert f"deploy/systemd/firstcall-{name}.service" in text
        assert unit(name)["Service"]["ExecStart"] in text, f"the doc does not show firstcall-{name}'s command"
        assert unit(name)["Service"]["User"] == "firstcall"
    assert unit("migrate")["Service"]["Type"] == "oneshot"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _vhost() -> None:
    """The test's vhost on the local RabbitMQ, made once."""
    try:
        pika.BlockingConnection(pika.URLParameters(BROKER)).close()
        return
    except pika.exceptions.AMQPConnectionError:
        pass
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", VHOST], check=False, capture_output=True, timeout=30)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True, timeout=30)


def _consumers(queue: str) -> int:
    conn = pika.BlockingConnection(pika.URLParameters(BROKER))
    try:
        return int(conn.channel().queue_declare(queue=queue, passive=True).method.consumer_count)
    except pika.exceptions.ChannelClosedByBroker:  # not declared yet
        return 0
    finally:
        if conn.is_open:
            conn.close()


async def _listening_ports(owner_dsn: str) -> set[int]:
    """Client ports of the sessions on the scratch database that LISTEN for the outbox."""
    conn = await asyncpg.connect(owner_dsn)
    try:
        rows = await conn.fetch("SELECT client_port FROM pg_stat_activity WHERE datname = current_database() "
                                "AND query LIKE 'LISTEN%firstcall_outbox%'")
        return {r["client_port"] for r in rows}
    finally:
        await conn.close()


def _own_ports(pid: int) -> set[int]:
    """Local ports of the process's connections to PostgreSQL."""
    return {c.laddr.port for c in psutil.Process(pid).net_connections(kind="tcp") if c.raddr and c.raddr.port == 5432}


class Started:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return -9


async def _until(check, what: str, started: Started, seconds: float = 150.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert started.alive(), f"{what}: the process exited with {started.proc.returncode}\n{started.output()}"
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what} within {seconds} s\n{started.output()}")


@pytest.fixture
def scratch(server_url, template_db):  # type: ignore[no-untyped-def]
    """A database of its own, migrated; dropped afterwards."""
    name, urls = clone_database(server_url, template_db)
    yield urls
    drop_database(server_url, name)


async def test_each_documented_command_starts_is_healthy_and_stops_cleanly(scratch) -> None:  # type: ignore[no-untyped-def]
    _vhost()
    urls = scratch
    owner = urls.owner.set(drivername="postgresql").render_as_string(hide_password=False)
    app = urls.app.set(drivername="postgresql").render_as_string(hide_password=False)
    port = _free_port()
    # /etc/firstcall/firstcall.env as docs/deploy.md writes it; the migration adds migrate.env.
    shared = {
        "FIRSTCALL_MODE": "production", "DATABASE_URL": app, "APP_DATABASE_URL": app, "BROKER_URL": BROKER,
        "SECRET_KEY": secrets.token_urlsafe(32), "DATA_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "LOOKUP_HASH_KEY": secrets.token_urlsafe(32), "FIRSTCALL_HOST": "127.0.0.1", "FIRSTCALL_PORT": str(port),
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FIRSTCALL_", "OTEL_"))}
    env = {**base, **shared, "PYTHONPATH": str(ROOT)}
    # The roles already exist on this server with this password: the migration keeps it.
    migrate_env = {**env, "DATABASE_URL": owner, "APP_DB_PASSWORD": urls.app.password or ""}
    migrate = subprocess.run(exec_start("migrate"), env=migrate_env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    assert "migrated" in migrate.stdout

    api = Started(exec_start("api"), env)
    worker = Started(exec_start("worker"), env)
    scanner = Started(exec_start("scanner"), env)
    started = {"api": api, "worker": worker, "scanner": scanner}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            async def answers(path: str) -> httpx.Response | None:
                try:
                    r = await http.get(path)
                except httpx.HTTPError:
                    return None
                return r if r.status_code == 200 else None

            assert (await _until(lambda: answers("/healthz"), "/healthz answered 200", api)).json() == {"status": "ok"}
            ready = (await _until(lambda: answers("/readyz"), "/readyz answered 200", api)).json()
            assert ready == {"status": "ready", "checks": {"database": True, "broker": True}}
        # The worker consumes the events queue; the scanner's relay listens for the outbox.
        await _until(lambda: "worker running with 4 threads on RabbitmqBroker" in worker.output(), "the worker's start line", worker)
        await _until(lambda: _consumers("events") >= 1, "a consumer on the events queue", worker)
        await _until(lambda: "scanner firing SLA timers" in scanner.output(), "the scanner's start line", scanner)

        async def scanner_listens() -> bool:
            return bool(_own_ports(scanner.proc.pid) & await _listening_ports(owner))

        await _until(scanner_listens, "the scanner's LISTEN session", scanner)
        await asyncio.sleep(2)  # still running a moment later: no crash after start-up
        assert all(p.alive() for p in started.values()), {n: p.output() for n, p in started.items() if not p.alive()}
    finally:
        codes = {n: p.stop() for n, p in started.items()}
    assert codes == {"api": 0, "worker": 0, "scanner": 0}, {n: started[n].output()[-3000:] for n in codes if codes[n]}
    for n, p in started.items():
        assert "Traceback" not in p.output(), f"{n}:\n{p.output()}"
