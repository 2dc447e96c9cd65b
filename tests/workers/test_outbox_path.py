"""The outbox path end to end on the in-process stub broker: a committed event is relayed once
per claim, consumed idempotently, and recorded in the audit log exactly once."""

from __future__ import annotations

import asyncio
import uuid

import dramatiq
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import text

from tenants.platform import Platform
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all, relay_batch, to_message


async def _drain(broker: StubBroker) -> None:
    await asyncio.to_thread(broker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)


async def _provisioning(owner_engine, org_id, code):
    async with owner_engine.connect() as conn:
        project = (await conn.execute(text("SELECT id, provisioned_at FROM projects WHERE org_id = :o AND code = :c"),
                                      {"o": org_id, "c": code})).one()
        audit = (await conn.execute(text("SELECT event_id FROM audit_log WHERE org_id = :o AND entity_id = :p "
                                         "AND action = 'project.provisioned'"), {"o": org_id, "p": project.id})).all()
        outbox = (await conn.execute(text("SELECT id, published_at FROM outbox WHERE org_id = :o AND project_id = :p "
                                          "AND topic = 'project.created'"), {"o": org_id, "p": project.id})).one()
    return project, audit, outbox


async def test_created_project_is_provisioned_by_the_worker_exactly_once(gql, org, platform, owner_engine, stub_worker):
    token = await gql.login(org)
    body = await gql('mutation { createProject(input: {code: "NEW", name: "新项目", propertyType: OFFICE}) { project { provisionedAt } } }',
                     token=token)
    assert body["data"]["createProject"]["project"]["provisionedAt"] is None
    assert await relay_all(platform, stub_worker) >= 1
    await _drain(stub_worker)
    project, audit, outbox = await _provisioning(owner_engine, org.org_id, "NEW")
    assert project.provisioned_at is not None and outbox.published_at is not None
    assert [a.event_id for a in audit] == [outbox.id]

    # The broker delivers again (at-least-once): nothing changes.
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM outbox WHERE id = :id"), {"id": outbox.id})).one()
    for _ in range(3):
        stub_worker.enqueue(to_message(row))
    await _drain(stub_worker)
    again, audit_again, _ = await _provisioning(owner_engine, org.org_id, "NEW")
    assert again.provisioned_at == project.provisioned_at
    assert len(audit_again) == 1
    async with owner_engine.connect() as conn:
        marks = (await conn.execute(text("SELECT count(*) FROM processed_events WHERE event_id = :e"), {"e": outbox.id})).scalar()
    assert marks == 1


async def test_concurrent_relays_never_publish_a_row_twice(settings, db_urls, owner_engine, org):
    async with owner_engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO outbox (org_id, project_id, topic, payload) "
            "SELECT :o, :p, 'test.tick', jsonb_build_object('n', g) FROM generate_series(1, 600) g"),
            {"o": org.org_id, "p": org.projects["P1"]})
    broker = StubBroker()
    broker.declare_queue(EVENTS_QUEUE)
    relays = [Platform.create(settings, db_urls) for _ in range(3)]

    async def drain(p: Platform) -> int:
        total = 0
        while n := await relay_batch(p, broker, limit=25):
            total += n
        return total

    try:
        counts = await asyncio.gather(*(drain(p) for p in relays))
    finally:
        for p in relays:
            await p.close()
    queue = broker.queues[EVENTS_QUEUE]
    ids = []
    while not queue.empty():
        ids.append(dramatiq.Message.decode(queue.get_nowait()).message_id)
    ours = await _ids(owner_engine, org.org_id)
    assert ours <= set(ids), "every event was published"
    assert len(ids) == len(set(ids)) == sum(counts), "no event was published twice"
    assert sum(1 for c in counts if c) >= 2, "the relays shared the work"


async def _ids(owner_engine, org_id: uuid.UUID) -> set[str]:
    async with owner_engine.connect() as conn:
        rows = await conn.execute(text("SELECT id FROM outbox WHERE org_id = :o AND topic = 'test.tick' AND published_at IS NOT NULL"),
                                  {"o": org_id})
        return {str(r.id) for r in rows}
