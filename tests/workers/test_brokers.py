"""Each broker kind, with the real `firstcall scanner` and `firstcall worker` processes: a project
created in the database is provisioned by a worker that got its event through the broker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from domain.directory.provisioning import ProjectInput, create_project
from tests.conftest import make_org
from workers.broker import broker_reachable, make_broker

# Flushes Redis database 0 and the default vhost's queues: make test runs it in its serial phase.
pytestmark = pytest.mark.serial

ROOT = Path(__file__).resolve().parents[2]
FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))
BROKERS = {"redis": "redis://127.0.0.1:6379/0", "rabbitmq": "amqp://guest:guest@127.0.0.1:5672/"}


def _env(db_urls, broker_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_urls.owner.render_as_string(hide_password=False),
        APP_DATABASE_URL=db_urls.app.render_as_string(hide_password=False),
        BROKER_URL=broker_url,
    )
    return env


def _tails(logs: dict[str, Path]) -> str:
    return "; ".join(f"the {name} said: {path.read_text(errors='replace')[-2000:]}" for name, path in logs.items())


@pytest.mark.parametrize("kind", sorted(BROKERS))
async def test_event_travels_through_each_broker_kind(kind, own_db, tmp_path):
    url = BROKERS[kind]
    broker = make_broker(url)
    assert broker_reachable(broker), f"{kind} is not reachable at {url}; `make services` starts it"
    broker.declare_queue("events")
    broker.flush_all()  # events of earlier runs' databases do not belong to this test
    broker.close()
    env = _env(own_db, url)
    owner_engine = create_async_engine(own_db.owner)
    org = await make_org(owner_engine)
    # Their logs go to files: a pipe nobody reads fills up and stops a chatty process mid-write.
    logs = {name: tmp_path / f"{name}.log" for name in ("worker", "scanner")}
    procs = [
        subprocess.Popen([FIRSTCALL, "worker", "--threads", "2"], env=env, cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=logs["worker"].open("wb")),
        subprocess.Popen([FIRSTCALL, "scanner"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=logs["scanner"].open("wb")),
    ]
    try:
        code = f"B{kind[:3].upper()}"
        async with owner_engine.begin() as conn:
            project_id = await create_project(conn, org.org_id, "system:test", ProjectInput(code, f"{kind} 项目", "office"))
        deadline = time.monotonic() + 60
        provisioned = None
        while time.monotonic() < deadline and provisioned is None:
            await asyncio.sleep(0.3)
            for p in procs:
                assert p.poll() is None, _tails(logs)
            async with owner_engine.connect() as conn:
                provisioned = (await conn.execute(text("SELECT provisioned_at FROM projects WHERE id = :p"),
                                                  {"p": project_id})).scalar()
        assert provisioned is not None, f"the event did not reach a worker through {kind} in 60 s; {_tails(logs)}"
        async with owner_engine.connect() as conn:
            n = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE entity_id = :p AND action = 'project.provisioned'"),
                                    {"p": project_id})).scalar()
        assert n == 1
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        await owner_engine.dispose()
