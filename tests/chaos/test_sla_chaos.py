"""Chaos for the SLA ladder (issue: SLA clocks): many cases with timers falling due while two
`firstcall scanner` processes and a `firstcall worker` are killed with SIGKILL at random moments
and restarted. Every escalation fires exactly once and none is lost. How late they fire is
reported; `make chaos` (CHAOS_STRICT=1) also holds it to the longest time no scanner was running
plus a poll — on a busy machine that bound measures the load, not the ladder, so `make test`
(small: CHAOS_CASES, default 150 cases × 12 timers) does not fail on it; `make chaos` runs the full 2,000."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from domain.cases.model import Actor, Case
from domain.cases.repository import CaseRepository, Intake
from domain.cases.states import CaseKind, Channel, Severity
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.conftest import add_user
from workers.broker import broker_reachable, make_broker

ROOT = Path(__file__).resolve().parents[2]
FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))
BROKER = "redis://127.0.0.1:6379/3"
CASES = int(os.environ.get("CHAOS_CASES", "150"))
SPREAD_SECONDS = float(os.environ.get("CHAOS_SPREAD_SECONDS", "12"))
STRICT = os.environ.get("CHAOS_STRICT") == "1"
# A killed scanner's batch waits for PostgreSQL to end its session; a started one needs a moment
# to import and connect: the longest gap with no scanner, plus start-up and a poll.
START_AND_POLL_SECONDS = 4.0


def check_lateness(late: float, no_scanner: float, *, strict: bool) -> None:
    """Holds the lateness to its bound only when asked (CHAOS_STRICT=1, which `make chaos` sets)."""
    if strict:
        assert late <= no_scanner + START_AND_POLL_SECONDS, (
            f"an escalation fired {late:.2f} s late; no scanner ran for {no_scanner:.2f} s at most")


def _env(db_urls) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_urls.owner.render_as_string(hide_password=False),
            "APP_DATABASE_URL": db_urls.app.render_as_string(hide_password=False), "BROKER_URL": BROKER}


async def _cases(platform, org, n: int) -> None:
    project = org.projects["P1"]
    agent = await add_user_id(platform, org)
    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        category = (await uow.conn.execute(text("SELECT id FROM case_categories WHERE code = 'water_power'"))).scalar_one()
        repo = CaseRepository(uow)
        for _ in range(n):
            now = datetime.now(UTC)
            case = Case.register(org_id=org.org_id, project_id=project, kind=CaseKind.REPAIR, severity=Severity.GENERAL,
                                 channel=Channel.PHONE, receiver=Actor(agent), now=now)
            await repo.add(case, Intake(category_id=category, description="混沌测试", public_area="大堂"), "P1")
        await uow.commit()


async def add_user_id(platform, org):
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        return (await conn.execute(text("SELECT id FROM users WHERE username = 'agent'"))).scalar_one()


class Fleet:
    """Two scanners and a worker, each killed and restarted at random moments."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.commands = {"scanner-a": ["scanner"], "scanner-b": ["scanner"], "worker": ["worker", "--threads", "2"]}
        self.procs: dict[str, subprocess.Popen | None] = {}
        self.down_since: dict[str, float] = {}
        self.all_scanners_down = 0.0  # the longest time no scanner ran
        self._none_since: float | None = None

    def start(self, name: str) -> None:
        self.procs[name] = subprocess.Popen([FIRSTCALL, *self.commands[name]], env=self.env, cwd=ROOT,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is not None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.procs[name] = None

    def note(self) -> None:
        running = any(self.procs.get(n) is not None for n in ("scanner-a", "scanner-b"))
        now = time.monotonic()
        if not running and self._none_since is None:
            self._none_since = now
        if running and self._none_since is not None:
            self.all_scanners_down = max(self.all_scanners_down, now - self._none_since)
            self._none_since = None

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            if proc is not None:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


async def test_every_escalation_fires_exactly_once_through_kill_9(db_urls, owner_engine, org, platform):
    broker = make_broker(BROKER)
    assert broker_reachable(broker), "redis is not reachable; `make services` starts it"
    broker.declare_queue("events")
    broker.flush_all()
    broker.close()
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    await _cases(platform, org, CASES)
    async with owner_engine.begin() as conn:
        # Every timer falls due within the next few seconds, in random order.
        timers = (await conn.execute(text(
            "UPDATE sla_timers SET due_at = clock_timestamp() + interval '2 seconds' + random() * make_interval(secs => :s) "
            "WHERE org_id = :o RETURNING 1"), {"o": org.org_id, "s": SPREAD_SECONDS})).rowcount
    assert timers == CASES * 12

    rng = random.Random(42)
    fleet = Fleet(_env(db_urls))
    for name in fleet.commands:
        fleet.start(name)
    deadline = time.monotonic() + SPREAD_SECONDS + 90
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(0.2, 1.2))
            # One process, or both scanners at once: then no timer can fire until one is back.
            victims = rng.choice([["scanner-a"], ["scanner-b"], ["worker"], ["scanner-a", "scanner-b"]])
            for victim in victims:
                fleet.kill(victim)
            fleet.note()
            await asyncio.sleep(rng.uniform(0.1, 1.5))
            for victim in victims:
                fleet.start(victim)
            fleet.note()
            async with owner_engine.connect() as conn:
                left = (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE org_id = :o AND fired_at IS NULL"),
                                           {"o": org.org_id})).scalar()
            if left == 0:
                break
    finally:
        fleet.stop()

    async with owner_engine.connect() as conn:
        o = {"o": org.org_id}
        unfired = (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE org_id = :o AND fired_at IS NULL"), o)).scalar()
        escalations = (await conn.execute(text("SELECT count(*) FROM escalations WHERE org_id = :o AND reason = 'timer'"), o)).scalar()
        doubles = (await conn.execute(text(
            "SELECT count(*) FROM (SELECT 1 FROM escalations WHERE org_id = :o GROUP BY case_id, target, round, level "
            "HAVING count(*) > 1) d"), o)).scalar()
        announced = (await conn.execute(text(
            "SELECT count(*), count(DISTINCT payload->>'escalation_id') FROM outbox "
            "WHERE org_id = :o AND topic = 'case.escalated'"), o)).one()
        late = (await conn.execute(text(
            "SELECT extract(epoch FROM max(fired_at - due_at)) FROM escalations WHERE org_id = :o AND reason = 'timer'"), o)).scalar()
    print(f"\nchaos: {timers} timers, {escalations} escalations, max lateness {late:.2f} s, "
          f"longest time with no scanner {fleet.all_scanners_down:.2f} s")
    assert unfired == 0, "none lost"
    assert escalations == timers and doubles == 0, "each fired exactly once"
    assert tuple(announced) == (timers, timers), "each announced once"
    check_lateness(late, fleet.all_scanners_down, strict=STRICT)


def test_lateness_bound_is_held_only_when_strict():
    # 5.2 s late with 0.9 s of no scanner: what a busy CI machine once measured.
    check_lateness(5.2, 0.9, strict=False)
    check_lateness(4.8, 0.9, strict=True)
    try:
        check_lateness(5.2, 0.9, strict=True)
    except AssertionError as e:
        assert "5.20 s late" in str(e)
    else:
        raise AssertionError("the strict bound let 5.2 s through")
