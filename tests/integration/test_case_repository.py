"""Cases stored and loaded through the repository, inside the tenant wall."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from domain.cases.model import Actor, Case, WrittenReply
from domain.cases.repository import CaseRepository, Intake
from domain.cases.states import CaseKind, Channel, Satisfaction, Severity, State
from domain.errors import DomainError
from domain.unit_of_work import UnitOfWork
from tenants.context import TenantScope
from tenants.db_errors import translate
from tests.conftest import add_unit, add_user

NOW = datetime(2026, 11, 22, 12, 40, tzinfo=UTC)


async def _place(owner_engine, org, project: str = "P1") -> tuple[uuid.UUID, uuid.UUID]:
    unit, _ = await add_unit(owner_engine, org, project)
    async with owner_engine.connect() as conn:
        category = (await conn.execute(text("SELECT id FROM case_categories WHERE org_id = :o AND code = 'public_area'"),
                                       {"o": org.org_id})).scalar_one()
    return unit, category


def _uow(platform, org_id, projects=None) -> UnitOfWork:
    return UnitOfWork(platform, org_id=org_id, actor="test", scope=TenantScope(org_id, projects, "test"))


async def _register(platform, org, unit, category, project: str = "P1") -> tuple[uuid.UUID, str]:
    agent = Actor(org.admin_id)
    async with _uow(platform, org.org_id) as uow:
        repo = CaseRepository(uow)
        case = Case.register(org_id=org.org_id, project_id=org.projects[project], kind=CaseKind.REQUEST,
                             severity=Severity.GENERAL, channel=Channel.PHONE, receiver=agent, now=NOW)
        await repo.add(case, Intake(category_id=category, unit_id=unit, description="帮忙把十块瓷砖从304搬到隔壁展厅"))
        await uow.commit()
    async with _uow(platform, org.org_id) as uow:  # numbered as it committed
        number = (await uow.conn.execute(text("SELECT number FROM cases WHERE org_id = :o AND id = :c"),
                                         {"o": org.org_id, "c": case.id})).scalar_one()
    return case.id, number


async def _change(platform, org, case_id, command) -> Case:
    async with _uow(platform, org.org_id) as uow:
        repo = CaseRepository(uow)
        case = await repo.get_for_update(case_id)
        command(case)
        await repo.save(case)
        await uow.commit()
        return case


async def test_numbers_count_per_project_and_day_even_concurrently(platform, org, owner_engine):
    unit, category = await _place(owner_engine, org)
    numbers = await asyncio.gather(*(_register(platform, org, unit, category) for _ in range(6)))
    assert sorted(n for _, n in numbers) == [f"GD-P1-20261122-{i:04d}" for i in range(1, 7)]


async def test_a_case_goes_the_whole_way_and_every_step_is_recorded(platform, org, owner_engine):
    unit, category = await _place(owner_engine, org)
    case_id, number = await _register(platform, org, unit, category)
    agent = Actor(org.admin_id)
    tech = Actor(await add_user(owner_engine, org, "tech.case", "technician", "P1"))
    visitor = Actor(await add_user(owner_engine, org, "visit.case", "cs_agent", "P1"))
    await _change(platform, org, case_id, lambda c: c.commit(NOW + timedelta(minutes=30), default_due=NOW + timedelta(minutes=30),
                                                             actor=agent, now=NOW))
    async with owner_engine.connect() as conn:
        dept = (await conn.execute(text("SELECT id FROM departments WHERE project_id = :p AND kind = 'engineering'"),
                                   {"p": org.projects["P1"]})).scalar_one()
    await _change(platform, org, case_id, lambda c: c.dispatch(assignee_id=None, department_id=dept, actor=agent, now=NOW))
    await _change(platform, org, case_id, lambda c: c.accept(actor=tech, now=NOW))
    await _change(platform, org, case_id, lambda c: c.start(actor=tech, now=NOW + timedelta(minutes=5)))
    await _change(platform, org, case_id, lambda c: c.pause("等业主开门", actor=tech, now=NOW + timedelta(minutes=6)))
    await _change(platform, org, case_id, lambda c: c.resume(actor=tech, now=NOW + timedelta(minutes=16)))
    await _change(platform, org, case_id, lambda c: c.resolve("已搬至展厅", actor=tech, now=NOW + timedelta(minutes=20)))
    await _change(platform, org, case_id, lambda c: c.confirm(now=NOW + timedelta(minutes=30)))
    final = await _change(platform, org, case_id,
                          lambda c: c.return_visit(Satisfaction.SATISFIED, 5, "很及时", visitor=visitor, now=NOW + timedelta(hours=1)))
    assert final.state is State.CLOSED
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT state, number, commitment_due, paused_seconds, handler_id, visited_by FROM cases "
                                       "WHERE id = :c"), {"c": case_id})).one()
        audit = (await conn.execute(text("SELECT action, from_state, to_state FROM audit_log WHERE entity_id = :c ORDER BY id"),
                                    {"c": case_id})).all()
        events = (await conn.execute(text("SELECT topic, payload FROM outbox WHERE payload->>'case_id' = :c ORDER BY created_at"),
                                     {"c": str(case_id)})).all()
    assert row.state == "closed" and row.number == number and row.handler_id == tech.id and row.visited_by == visitor.id
    assert row.paused_seconds == 600 and row.commitment_due == NOW + timedelta(minutes=40)  # the 10-minute wait moved it
    topics = ["case.received", "case.committed", "case.dispatched", "case.accepted", "case.started", "case.paused",
              "case.resumed", "case.resolved", "case.confirmed", "case.closed"]
    assert [a.action for a in audit] == topics and [e.topic for e in events] == topics
    assert audit[-1].from_state == "confirmed" and audit[-1].to_state == "closed"
    assert events[0].payload["number"] == number


async def test_declining_stores_a_versioned_written_reply(platform, org, owner_engine):
    unit, category = await _place(owner_engine, org)
    case_id, _ = await _register(platform, org, unit, category)
    supervisor = Actor(org.admin_id, supervisor=True)
    await _change(platform, org, case_id, lambda c: c.request_decline("搬运不在服务范围", actor=Actor(uuid.uuid4()), now=NOW))
    reply = WrittenReply("搬运物品不属于物业服务合同约定内容", "《物业服务合同》第三条", ("合作搬家公司今天15:00可上门，费用200元",))
    await _change(platform, org, case_id, lambda c: c.approve_decline(reply, actor=supervisor, now=NOW))
    async with owner_engine.connect() as conn:
        stored = (await conn.execute(text("SELECT version, alternatives, created_by FROM written_replies WHERE case_id = :c"),
                                     {"c": case_id})).all()
    assert [(r.version, r.alternatives, r.created_by) for r in stored] == [(1, list(reply.alternatives), supervisor.id)]


async def test_a_unit_of_another_project_is_refused_and_nothing_is_written(platform, org, owner_engine):
    other_unit, category = await _place(owner_engine, org, "P2")
    with pytest.raises(DomainError) as refused:  # the database refuses; the unit of work gives its code
        await _register(platform, org, other_unit, category, "P1")
    assert isinstance(refused.value.__cause__, DBAPIError) and translate(refused.value.__cause__) is not None
    assert refused.value.code.value == "NOT_FOUND"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE org_id = :o"), {"o": org.org_id})).scalar() == 0
        assert (await conn.execute(text("SELECT count(*) FROM outbox WHERE org_id = :o AND topic LIKE 'case.%'"),
                                   {"o": org.org_id})).scalar() == 0


async def test_another_company_cannot_load_the_case(platform, org, other_org, owner_engine):
    unit, category = await _place(owner_engine, org)
    case_id, _ = await _register(platform, org, unit, category)
    async with _uow(platform, other_org.org_id) as uow:
        assert await CaseRepository(uow).get_for_update(case_id) is None
    async with _uow(platform, org.org_id, frozenset({org.projects["P2"]})) as uow:
        assert await CaseRepository(uow).get_for_update(case_id) is None, "another project's manager cannot either"


async def test_a_transition_holding_its_case_does_not_hold_up_the_scanner(platform, org, owner_engine):
    """The scanner fires a due timer of a case that a transition holds: its escalation's foreign key
    must not wait on the transition's lock (it waited, and deadlocked when the transition then
    touched the timers the scanner had claimed)."""
    from workers.sla_scanner import fire_due

    unit, category = await _place(owner_engine, org)
    case_id, _ = await _register(platform, org, unit, category)
    async with owner_engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO case_targets (org_id, project_id, case_id, target, round, clock, started_at, budget_minutes, due_at) "
            "VALUES (:o, :p, :c, 'commit', 0, 'always', now(), 30, now() - interval '1 second') ON CONFLICT DO NOTHING"),
            {"o": org.org_id, "p": org.projects["P1"], "c": case_id})
        await conn.execute(text(
            "INSERT INTO sla_timers (org_id, project_id, case_id, target, round, level, due_at) "
            "VALUES (:o, :p, :c, 'commit', 0, 'l1', timestamptz '2001-01-01') "
            "ON CONFLICT (org_id, case_id, target, round, level) DO UPDATE SET due_at = excluded.due_at"),
            {"o": org.org_id, "p": org.projects["P1"], "c": case_id})
    async with _uow(platform, org.org_id) as uow:
        assert await CaseRepository(uow).get_for_update(case_id) is not None
        # Due long ago: in the scanner's first batch, whatever else the run's database holds.
        await asyncio.wait_for(fire_due(platform), timeout=10)  # held up, it would wait for this block's end
    async with owner_engine.connect() as conn:
        fired = (await conn.execute(text("SELECT count(*) FROM escalations WHERE case_id = :c AND reason = 'timer' "
                                                 "AND target = 'commit' AND level = 'l1'"),
                                    {"c": case_id})).scalar()
    assert fired == 1
