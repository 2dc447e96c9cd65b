"""Events of one case reach subscribers and consumers in the order they were committed: through
the real subscription (uvicorn, graphql-transport-ws, NOTIFY), and through the workers even when
the broker brings them out of order (a requeue, a retry, several workers): a later event waits
until each of its consumers has handled the case's earlier events."""

from __future__ import annotations

import asyncio

import dramatiq
from sqlalchemy import text

from tests.api.conftest import REGISTER, case_input
from tests.api.test_subscriptions import CASES, Live, bearer, desk_of, register, server  # noqa: F401 — the fixture
from workers import actors, runtime
from workers.broker import EVENTS_QUEUE, make_broker
from workers.relay import to_message


async def test_a_skip_level_complaint_is_heard_received_before_escalated(gql, org, owner_engine, server):  # noqa: F811 — the imported fixture
    admin = await gql.login(org)
    desk = await desk_of(owner_engine, org)
    async with Live.connect(server, bearer(admin)) as live:
        await live.subscribe("cases", CASES)
        await server.until_subscribed(org.org_id, 1)
        made = [await register(gql, admin, desk, kind="COMPLAINT", channel="HQ_HOTLINE", category="noise",
                               description=f"越级投诉第{n}次：夜间施工噪音") for n in range(4)]

        def heard(case_id: str) -> list[str]:
            return [d["caseUpdates"]["topic"] for d in live.data("cases") if d["caseUpdates"]["case"]["id"] == case_id]

        await live.until(lambda: all(len(heard(c)) >= 2 for c in made))
        await asyncio.sleep(0.2)  # anything still on its way would arrive now
        for case_id in made:
            assert heard(case_id) == ["case.received", "case.escalated"], heard(case_id)


async def test_a_later_event_delivered_first_is_handled_after_the_earlier_one(gql, desk, org, owner_engine, settings, db_urls):
    admin = await gql.login(org)
    body = await gql(REGISTER, {"i": case_input(desk, kind="COMPLAINT", channel="HQ_HOTLINE", category="noise")}, token=admin)
    case_id = body["data"]["registerCase"]["case"]["id"]
    assert case_id
    async with owner_engine.begin() as conn:
        rows = (await conn.execute(text(
            "UPDATE outbox SET published_at = now() WHERE org_id = :o AND published_at IS NULL AND topic LIKE 'case.%' "
            "RETURNING *"), {"o": org.org_id})).all()
    rows.sort(key=lambda r: r.created_at)
    assert [r.topic for r in rows] == ["case.received", "case.escalated"]

    broker = make_broker(None)
    actors.declare(broker)
    runtime.configure(settings, db_urls)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        for row in reversed(rows):  # the broker brings the escalation first
            broker.enqueue(to_message(row))
        await asyncio.to_thread(broker.join, EVENTS_QUEUE, fail_fast=True, timeout=60_000)
    finally:
        worker.stop()

    async with owner_engine.connect() as conn:
        marks = (await conn.execute(text(
            "SELECT consumer, event_id, processed_at FROM processed_events WHERE org_id = :o AND event_id = ANY(:e)"),
            {"o": org.org_id, "e": [r.id for r in rows]})).all()
    at = {(m.consumer, m.event_id): m.processed_at for m in marks}
    received, escalated = rows
    both = {c for c, e in at if e == received.id} & {c for c, e in at if e == escalated.id}
    assert "kpi" in both, at
    for consumer in both:
        assert at[(consumer, received.id)] < at[(consumer, escalated.id)], consumer

