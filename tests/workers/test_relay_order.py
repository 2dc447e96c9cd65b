"""The relay publishes each case's events in the order they were committed, however many relays
share the outbox: a case's next event waits while another relay holds an earlier one."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict

import dramatiq
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import text

from tenants.platform import Platform
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_batch

_EVENT = text("INSERT INTO outbox (org_id, project_id, topic, payload) "
              "VALUES (:o, :p, :t, jsonb_build_object('case_id', CAST(:c AS text), 'n', CAST(:n AS int)))")
_CLAIM = text("SELECT topic, payload->>'case_id' AS case_id FROM outbox_claim(:n)")


async def _add(owner_engine, org, events: list[tuple[uuid.UUID, int]]) -> None:
    """Each event in a transaction of its own, in this order, after what the fixtures wrote is published."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE outbox SET published_at = now() WHERE published_at IS NULL"))
    for case_id, n in events:
        async with owner_engine.begin() as conn:
            await conn.execute(_EVENT, {"o": org.org_id, "p": org.projects["P1"], "t": f"case.step{n}", "c": str(case_id), "n": n})


async def test_a_held_event_keeps_its_cases_next_event_from_another_relay(platform, owner_engine, org):
    held, other = uuid.uuid4(), uuid.uuid4()
    await _add(owner_engine, org, [(held, 1), (held, 2), (other, 1)])
    async with platform.transaction(None) as first:
        claimed = (await first.execute(_CLAIM, {"n": 1})).all()
        assert [(r.topic, r.case_id) for r in claimed] == [("case.step1", str(held))]
        async with platform.transaction(None) as second:
            taken = (await second.execute(_CLAIM, {"n": 10})).all()
        assert [(r.topic, r.case_id) for r in taken] == [("case.step1", str(other))], \
            "the held case's second event waits for its first"


async def test_concurrent_relays_publish_each_cases_events_in_commit_order(settings, db_urls, owner_engine, org):
    cases = [uuid.uuid4() for _ in range(12)]
    await _add(owner_engine, org, [(c, n) for n in range(1, 11) for c in cases])  # interleaved
    broker = StubBroker()
    broker.declare_queue(EVENTS_QUEUE)
    relays = [Platform.create(settings, db_urls) for _ in range(3)]

    async def drain(p: Platform) -> int:
        total = 0
        for _ in range(200):
            total += await relay_batch(p, broker, limit=7)
            async with owner_engine.connect() as conn:
                if not (await conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))).scalar():
                    return total
        return total

    try:
        counts = await asyncio.gather(*(drain(p) for p in relays))
    finally:
        for p in relays:
            await p.close()
    queue = broker.queues[EVENTS_QUEUE]
    heard: dict[str, list[int]] = defaultdict(list)
    while not queue.empty():
        event = dramatiq.Message.decode(queue.get_nowait()).args[0]
        if "n" in event["payload"]:
            heard[event["payload"]["case_id"]].append(event["payload"]["n"])
    assert sum(counts) == 120 and sum(1 for c in counts if c) >= 2, "every event once, the relays shared the work"
    assert heard == {str(c): list(range(1, 11)) for c in cases}
