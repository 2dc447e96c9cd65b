"""The demo's history and trickle on a real database: every generated case is consistent with
its own audit trail, numbers are unique per project and day, the shares look like a service
centre's, and the trickle moves cases through the rules inside the company's wall."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from tenants.context import TenantScope
from firstcall.demo_history import add_duty_roster, add_history
from tests.conftest import add_unit, add_user
from firstcall.demo_trickle import tick

ROLES = ("cs_agent", "dispatcher", "technician", "cs_supervisor", "project_manager", "staff")


async def staffed(owner_engine, org) -> None:
    for project in org.projects:
        for role in ROLES:
            await add_user(owner_engine, org, f"{role[:4]}.{project.lower()}", role, project)
        for n in ("101", "102", "201"):
            await add_unit(owner_engine, org, project, n)
        async with owner_engine.begin() as conn:
            await conn.execute(text("UPDATE projects SET households = 400 WHERE id = :p"), {"p": org.projects[project]})


async def test_history_is_consistent_with_its_audit_trail(owner_engine, org):
    await staffed(owner_engine, org)
    now = datetime.now(UTC)
    written = await add_history(owner_engine, org.org_id, now=now, days=30)
    assert written > 200
    assert await add_history(owner_engine, org.org_id, now=now, days=30) == 0, "written once"
    async with owner_engine.connect() as conn:
        o = {"o": org.org_id}
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o"), o)).scalar() == written
        # The last audit row of each case ends where the case is; each row starts where the one before ended.
        broken = (await conn.execute(text(
            "SELECT count(*) FROM (SELECT c.state, a.to_state, a.from_state, "
            "  lag(a.to_state) OVER (PARTITION BY a.entity_id ORDER BY a.at, a.id) AS before, "
            "  row_number() OVER (PARTITION BY a.entity_id ORDER BY a.at DESC, a.id DESC) AS last "
            "  FROM audit_log a JOIN cases c ON c.id = a.entity_id WHERE a.org_id = :o) t "
            "WHERE (last = 1 AND to_state <> state) OR (before IS NOT NULL AND from_state IS DISTINCT FROM before)"), o)).scalar()
        assert broken == 0
        # Numbers: unique, and the counters continue after the history.
        numbers = (await conn.execute(text(
            "SELECT count(*), count(DISTINCT number), "
            "  (SELECT sum(last) FROM case_numbers WHERE org_id = :o) FROM cases WHERE org_id = :o"), o)).one()
        assert numbers[0] == numbers[1] == numbers[2]
        shares = dict((await conn.execute(text(
            "SELECT kind, count(*)::float / sum(count(*)) OVER () FROM cases WHERE org_id = :o GROUP BY kind"), o)).all())
        assert 0.35 < shares["repair"] < 0.55 and shares["complaint"] < 0.2
        closed = (await conn.execute(text(
            "SELECT count(*) FILTER (WHERE state = 'closed')::float / count(*), "
            "  count(*) FILTER (WHERE state NOT IN ('closed', 'declined', 'cancelled')) FROM cases WHERE org_id = :o"), o)).one()
        assert closed[0] > 0.8 and closed[1] > 0, "mostly closed, some still open for the demo's queues"
        visits = (await conn.execute(text(
            "SELECT count(*) FROM cases WHERE org_id = :o AND state = 'closed' "
            "AND (visited_by IS NULL OR visited_by = handler_id)"), o)).scalar()
        assert visits == 0, "every closed case was visited back by someone other than its handler"
        targets = (await conn.execute(text(
            "SELECT count(*) FILTER (WHERE target = 'commit'), count(*) FILTER (WHERE target = 'commit' AND met_at <= due_at), "
            "  count(*) FILTER (WHERE met_at IS NULL AND closed_by IS NULL) FROM case_targets WHERE org_id = :o"), o)).one()
        assert targets[0] == written and targets[1] > 0.9 * written * 0.95, "the history has its SLA record"
        unfired = (await conn.execute(text("SELECT count(*) FROM sla_timers WHERE org_id = :o AND fired_at IS NULL AND due_at <= :t"),
                                      {**o, "t": now})).scalar()
        assert unfired == 0, "nothing left to fire for the past: nobody is told of last month's cases"
        hours = dict((await conn.execute(text(
            "SELECT extract(hour FROM received_at AT TIME ZONE 'Asia/Shanghai')::int < 6, count(*) FROM cases "
            "WHERE org_id = :o GROUP BY 1"),
            o)).all())
        assert hours.get(True, 0) < 0.1 * written, "few calls between midnight and six"


async def test_the_trickle_moves_cases_through_the_rules_inside_the_wall(platform, owner_engine, org, other_org):
    await staffed(owner_engine, org)
    now = datetime.now(UTC)
    await add_history(owner_engine, org.org_id, now=now, days=3)
    assert await add_duty_roster(owner_engine, org.org_id, now=now) > 0
    async with owner_engine.connect() as conn:
        before = (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o"), {"o": org.org_id})).scalar()
    rng = random.Random(7)
    for _ in range(5):
        assert await tick(platform, org.org_id, rng) >= 1
    async with owner_engine.connect() as conn:
        o = {"o": org.org_id}
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o AND received_at > :t"),
                                   {**o, "t": now - timedelta(seconds=1)})).scalar() == 5
        topics = set((await conn.execute(text("SELECT topic FROM outbox WHERE org_id = :o"), o)).scalars())
        assert {"case.received", "case.committed"} <= topics
        assert (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o"), o)).scalar() > before
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o"), {"o": other_org.org_id})).scalar() == 0
    # The other company sees none of it through the application role.
    async with platform.transaction(TenantScope(org_id=other_org.org_id)) as conn:
        assert (await conn.execute(text("SELECT count(*) FROM cases"))).scalar() == 0


async def test_the_trickle_moves_only_the_cases_it_registered(platform, owner_engine, org):
    await staffed(owner_engine, org)
    now = datetime.now(UTC)
    await add_history(owner_engine, org.org_id, now=now, days=3)
    await add_duty_roster(owner_engine, org.org_id, now=now)
    o = {"o": org.org_id}
    snapshot = text("SELECT c.id, c.state, c.updated_at, (SELECT count(*) FROM audit_log a WHERE a.entity_id = c.id) AS steps "
                    "FROM cases c WHERE c.org_id = :o ORDER BY c.id")
    async with owner_engine.connect() as conn:
        # The history's open cases stand for the ones people are working on in the console.
        before = list(await conn.execute(snapshot, o))
    assert sum(1 for r in before if r.state not in ("closed", "declined", "cancelled")) >= 5
    rng = random.Random(11)
    for _ in range(8):
        await tick(platform, org.org_id, rng)
    async with owner_engine.connect() as conn:
        after = {r.id: r for r in await conn.execute(snapshot, o)}
        mine = list(await conn.execute(text(
            "SELECT c.state, u.username, u.active FROM cases c JOIN users u ON u.id = c.first_receiver_id "
            "WHERE c.org_id = :o AND c.received_at > :t"), {**o, "t": now}))
    assert [after[r.id] for r in before] == before, "no case the trickle did not register has moved"
    assert len(mine) == 8 and {(r.username, r.active) for r in mine} == {("demo.trickle", False)}
    assert any(r.state not in ("received", "committed") for r in mine), "its own cases move on"


async def test_the_trickle_promises_the_policys_resolution_deadline(platform, owner_engine, org):
    await staffed(owner_engine, org)
    now = datetime.now(UTC)
    await add_duty_roster(owner_engine, org.org_id, now=now)
    async with owner_engine.begin() as conn:  # a company that resolves everything within 90 minutes
        await conn.execute(text("UPDATE sla_policies SET commit_minutes = 10, arrive_minutes = 45, resolve_minutes = 90 "
                                "WHERE org_id = :o"), {"o": org.org_id})
    rng = random.Random(5)
    for _ in range(4):
        await tick(platform, org.org_id, rng)
    async with owner_engine.connect() as conn:
        promised = list(await conn.execute(text(
            "SELECT received_at, commitment_due FROM cases WHERE org_id = :o AND commitment_due IS NOT NULL"), {"o": org.org_id}))
    assert len(promised) == 4
    assert {r.commitment_due - r.received_at for r in promised} == {timedelta(minutes=90)}
