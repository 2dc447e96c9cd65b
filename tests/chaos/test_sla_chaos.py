"""Chaos for the SLA ladder (issue: SLA clocks): many cases with timers falling due while two
`firstcall scanner` processes and a `firstcall worker` are killed with SIGKILL at random moments
and restarted. Every escalation fires exactly once and none is lost. How late they fire is
reported; `make chaos` (CHAOS_STRICT=1) also holds it to the longest time no scanner was running
plus a poll — on a busy machine that bound measures the load, not the ladder, so `make test`
(small: CHAOS_CASES, default 150 cases × 12 timers) does not fail on it; `make chaos` runs the full 2,000."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from domain.cases.model import Actor, Case
from domain.cases.repository import CaseRepository, Intake
from domain.cases.states import CaseKind, Channel, Severity
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tests.chaos.fleet import CASES, SPREAD_SECONDS, STRICT, Fleet, check_lateness, fleet_env, kill_and_restart
from tests.conftest import add_user
from workers.broker import broker_reachable, make_broker

BROKER = "redis://127.0.0.1:6379/3"

# Flushes a shared broker or kills and times processes on a busy machine: make test runs it in its serial phase.
pytestmark = pytest.mark.serial


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
            await repo.add(case, Intake(category_id=category, description="混沌测试", public_area="大堂"))
        await uow.commit()


async def add_user_id(platform, org):
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        return (await conn.execute(text("SELECT id FROM users WHERE username = 'agent'"))).scalar_one()


async def test_every_escalation_fires_exactly_once_through_kill_9(db_urls, owner_engine, org, platform, tmp_path):
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

    async def all_fired() -> bool:
        async with owner_engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE org_id = :o AND fired_at IS NULL"),
                                       {"o": org.org_id})).scalar() == 0

    # A victim is killed only once it is up: on a loaded machine a scanner takes seconds to import,
    # and killing it then would test nothing but the lateness of the ones never started.
    fleet = Fleet(fleet_env(db_urls, BROKER), logs=tmp_path)
    await kill_and_restart(fleet, random.Random(42), SPREAD_SECONDS + 90, all_fired, once_up=True)

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
