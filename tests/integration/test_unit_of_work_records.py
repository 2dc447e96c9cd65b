"""What the unit of work writes at commit: the aggregates' records and the events recorded on it
(`record`), in the order they came — cause before effect — and nothing when it does not commit,
also when it is joined to a transaction the caller goes on to commit."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, text

from domain.errors import DomainError, invalid
from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry, Joined, UnitOfWork
from tenants import direct
from tenants.context import TenantScope


def _event(org, topic: str, tag: str) -> Event:
    return Event(topic=topic, org_id=org.org_id, project_id=org.projects["P1"], payload={"tag": tag})


async def _topics(owner_engine, tag: str) -> list[str]:
    async with owner_engine.connect() as conn:
        return list((await conn.execute(text("SELECT topic FROM outbox WHERE payload->>'tag' = :t ORDER BY created_at"),
                                        {"t": tag})).scalars())


async def test_recorded_events_are_written_in_their_place_among_the_aggregates(platform, org, owner_engine):
    tag = str(uuid.uuid4())
    first, last = Aggregate(), Aggregate()
    first.events.append(_event(org, "test.first", tag))
    first.audit.append(AuditEntry(action="test.first", entity="test", entity_id=None))
    last.events.append(_event(org, "test.last", tag))
    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        uow.track(first)
        uow.record(_event(org, "test.between", tag))
        uow.track(last)
        await uow.commit()
    assert await _topics(owner_engine, tag) == ["test.first", "test.between", "test.last"]
    async with owner_engine.connect() as conn:
        actors = (await conn.execute(text("SELECT actor FROM audit_log WHERE org_id = :o AND action = 'test.first'"),
                                     {"o": org.org_id})).scalars().all()
    assert actors == ["test"]


async def test_a_joined_unit_of_work_left_without_commit_writes_nothing(platform, org, owner_engine):
    tag = str(uuid.uuid4())
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        async with UnitOfWork(Joined(conn), org_id=org.org_id, actor="test", scope=None) as uow:
            uow.record(_event(org, "test.dropped", tag))
        async with UnitOfWork(Joined(conn), org_id=org.org_id, actor="test", scope=None) as uow:
            uow.record(_event(org, "test.kept", tag))
            await uow.commit()
    assert await _topics(owner_engine, tag) == ["test.kept"]


async def test_joined_without_a_savepoint_costs_no_statement_and_is_never_left_quietly(platform, org, owner_engine,
                                                                                       monkeypatch):
    tag = str(uuid.uuid4())
    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    async def run_counted(conn, clause, params) -> None:  # the outbox row goes past SQLAlchemy (tenants/direct.py)
        sent.append(clause.text)
        await run(conn, clause, params)

    run = direct.run
    monkeypatch.setattr(direct, "run", run_counted)
    event.listen(platform.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
            async with UnitOfWork(Joined(conn, savepoint=False), org_id=org.org_id, actor="test", scope=None) as uow:
                uow.record(_event(org, "test.kept", tag))
                await uow.commit()
    finally:
        event.remove(platform.engine.sync_engine, "before_cursor_execute", count)
    assert len(sent) == 1 and "INSERT INTO outbox" in sent[0], sent  # the event; no SAVEPOINT, no RELEASE
    assert await _topics(owner_engine, tag) == ["test.kept"]

    # A refusal ends the caller's transaction with it; leaving without commit or error is a fault.
    with pytest.raises(DomainError):
        async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
            async with UnitOfWork(Joined(conn, savepoint=False), org_id=org.org_id, actor="test", scope=None) as uow:
                uow.record(_event(org, "test.refused", tag))
                await uow.commit()
                raise invalid("测试。A refusal after the work.")
    with pytest.raises(RuntimeError):
        async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
            async with UnitOfWork(Joined(conn, savepoint=False), org_id=org.org_id, actor="test", scope=None) as uow:
                uow.record(_event(org, "test.left", tag))
    assert await _topics(owner_engine, tag) == ["test.kept"]


async def test_a_commit_writes_its_records_in_one_statement_each_event_later_than_the_one_before(platform, org, owner_engine,
                                                                                              monkeypatch):
    tag = str(uuid.uuid4())
    many = Aggregate()
    many.events.extend(_event(org, f"test.n{i:02d}", tag) for i in range(30))
    many.audit.extend(AuditEntry(action="test.many", entity="test", entity_id=None, note=str(i)) for i in range(3))
    sent: list[str] = []
    real_run = direct.run

    async def counted(conn, clause, params):
        sent.append(clause.text)
        await real_run(conn, clause, params)

    monkeypatch.setattr(direct, "run", counted)
    async with UnitOfWork(platform, org_id=org.org_id, actor="test", scope=TenantScope(org.org_id, None, "test")) as uow:
        uow.track(many)
        await uow.commit()
    assert len([s for s in sent if "INSERT INTO outbox" in s]) == 1
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT topic, created_at FROM outbox WHERE payload->>'tag' = :t ORDER BY created_at"),
                                   {"t": tag})).all()
        notes = (await conn.execute(text("SELECT note FROM audit_log WHERE org_id = :o AND action = 'test.many' ORDER BY id"),
                                    {"o": org.org_id})).scalars().all()
    assert [r.topic for r in rows] == [f"test.n{i:02d}" for i in range(30)]
    assert all(a.created_at < b.created_at for a, b in zip(rows, rows[1:], strict=False))
    assert notes == ["0", "1", "2"]
