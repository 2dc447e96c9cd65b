"""What the unit of work writes at commit: the aggregates' records and the events recorded on it
(`record`), in the order they came — cause before effect — and nothing when it does not commit,
also when it is joined to a transaction the caller goes on to commit."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from domain.events import Event
from domain.unit_of_work import Aggregate, AuditEntry, Joined, UnitOfWork
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
