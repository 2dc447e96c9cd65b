"""A burst of one project's case events recomputes its month once (domain/kpi/rollups.py): the
`kpi` consumer skips an event whose change a later-begun recomputation already counted, never one
whose change committed after it began, its buckets equal a rebuild's, and one company's
recomputation answers for nothing of another's.

Recomputations are counted as the month statements the consumer sends to the database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import dramatiq
from sqlalchemy import event, text

from api.graphql.types.node import to_global_id
from domain.kpi.rollups import refresh_case, rebuild
from tenants.context import TenantScope
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import differences, run, snapshot
from workers.broker import EVENTS_QUEUE, make_broker
from workers.handlers import handle_event
from workers.relay import relay_all

LANES = 2  # as two worker threads: each takes the next message as it is free


async def relayed(platform) -> list[dict]:
    """The outbox's waiting events as the relay publishes them, `committed_by` and all."""
    broker = make_broker(None)
    broker.declare_queue(EVENTS_QUEUE)
    await relay_all(platform, broker)
    queue = broker.queues[EVENTS_QUEUE]
    events = []
    while not queue.empty():
        events.append(dramatiq.Message.decode(queue.get_nowait()).args[0])
    return events


async def consume(platform, events: list[dict]) -> None:
    """Every event through every consumer, on concurrent lanes, in the order published."""
    pending = iter(events)

    async def lane() -> None:
        for e in pending:
            await handle_event(platform, e)
    await asyncio.gather(*(lane() for _ in range(LANES)))


@contextmanager
def month_statements(platform) -> Iterator[list[str]]:
    """The statements that recompute a project's month, as the database receives them."""
    sent: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:
        if statement.lstrip().startswith("INSERT INTO kpi_project_month"):
            sent.append(statement)
    event.listen(platform.engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(platform.engine.sync_engine, "before_cursor_execute", seen)


async def month_rows(owner_engine, org_id) -> list:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT project_id, received, cancelled, open, computed_at FROM kpi_project_month "
                                        "WHERE org_id = :o"), {"o": org_id})).all()


async def burst(gql, desk) -> list[str]:
    """Six cases of three kinds and categories, two of them committed to: the case events of a
    busy minute, committed before the relay takes any of them."""
    agent = desk["agent"][1]
    kinds = (("REQUEST", "public_area"), ("REPAIR", "water_power"), ("COMPLAINT", "noise"))
    ids = []
    for i in range(6):
        kind, category = kinds[i % 3]
        body = await gql(REGISTER, {"i": case_input(desk, kind=kind, category=category)}, token=agent)
        ids.append(body["data"]["registerCase"]["case"]["id"])
    for c in ids[:2]:
        await run(gql, agent, "commitCase", c)
    return ids


async def test_a_burst_recomputes_the_month_once_and_equals_a_rebuild(gql, desk, owner_engine, org, platform):
    await burst(gql, desk)
    events = [e for e in await relayed(platform) if e["topic"].startswith("case.")]
    assert len(events) >= 8 and all(e.get("committed_by") for e in events)
    with month_statements(platform) as recomputed:
        await consume(platform, events)
    assert len(recomputed) == 1, f"{len(recomputed)} recomputations for {len(events)} events"
    [month] = await month_rows(owner_engine, org.org_id)
    assert (month.received, month.open) == (6, 6) and month.computed_at is not None
    async with owner_engine.connect() as conn:  # one recomputation counted every category of the month
        categories = (await conn.execute(text("SELECT kind, sum(received) FROM kpi_category_month WHERE org_id = :o GROUP BY kind"),
                                         {"o": org.org_id})).all()
    assert sorted((k, int(n)) for k, n in categories) == [("complaint", 2), ("repair", 2), ("request", 2)]

    maintained = await snapshot(owner_engine, org.org_id)
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    assert differences(maintained, await snapshot(owner_engine, org.org_id)) == []
    [rebuilt] = await month_rows(owner_engine, org.org_id)
    assert rebuilt.computed_at is None, "a rebuilt month promises nothing: the next event recomputes"


async def test_a_change_committed_after_a_recomputation_began_is_recomputed(gql, desk, owner_engine, org, platform):
    ids = await burst(gql, desk)
    await consume(platform, await relayed(platform))
    async with owner_engine.connect() as conn:
        first = (await conn.execute(text("SELECT id FROM cases WHERE org_id = :o ORDER BY received_at LIMIT 1"),
                                    {"o": org.org_id})).scalar_one()
    # A recomputation begins, after the burst's (None: what committed before this transaction
    # began), and a cancellation commits while it is still open: it counted the cases without it.
    async with platform.transaction(TenantScope(org.org_id, None, "worker")) as conn:
        assert await refresh_case(conn, org.org_id, first) is True
        await run(gql, desk["sup"][1], "cancelCase", ids[5], ", reason: $r", r=("String!", "重复登记"))
    [month] = await month_rows(owner_engine, org.org_id)
    assert (month.received, month.cancelled) == (6, 0), "the recomputation saw nothing of the later cancellation"

    events = [e for e in await relayed(platform) if e["topic"].startswith("case.")]
    assert events
    with month_statements(platform) as recomputed:
        await consume(platform, events)
    assert len(recomputed) == 1
    [month] = await month_rows(owner_engine, org.org_id)
    assert (month.received, month.cancelled, month.open) == (6, 1, 5)
    maintained = await snapshot(owner_engine, org.org_id)
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild(conn)
    assert differences(maintained, await snapshot(owner_engine, org.org_id)) == []


async def test_one_companys_recomputation_answers_for_nothing_of_anothers(gql, desk, owner_engine, org, other_org, platform):
    await burst(gql, desk)
    outsider = await gql.login(other_org)
    body = await gql(REGISTER, {"i": {"projectId": to_global_id("Project", other_org.projects["P1"]), "kind": "REPAIR",
                                      "channel": "APP", "category": "water_power", "publicArea": "地库", "description": "地库漏水"}},
                     token=outsider)
    assert body["data"]["registerCase"]["errors"] == [], body
    events = [e for e in await relayed(platform) if e["topic"].startswith("case.")]
    ours = [e for e in events if e["org_id"] == str(org.org_id)]
    theirs = [e for e in events if e["org_id"] == str(other_org.org_id)]
    assert ours and theirs
    with month_statements(platform) as recomputed:
        await consume(platform, ours)  # our month's mark is later than their event's commit
        await consume(platform, theirs)
    assert len(recomputed) == 2, "their month was recomputed: our mark is not theirs"
    assert [(m.project_id, m.received) for m in await month_rows(owner_engine, other_org.org_id)] == [(other_org.projects["P1"], 1)]
    assert [(m.project_id, m.received) for m in await month_rows(owner_engine, org.org_id)] == [(org.projects["P1"], 6)]
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        seen = (await conn.execute(text("SELECT count(*) FROM kpi_project_month WHERE org_id = :o"), {"o": other_org.org_id})).scalar()
        assert seen == 0
        other_case = (await conn.execute(text("SELECT id FROM cases WHERE org_id = :o"), {"o": other_org.org_id})).first()
        assert other_case is None
        # Their case's id, asked for in our company: no case, nothing recomputed.
        their_id = uuid.UUID(next(e["payload"]["case_id"] for e in theirs))
        assert await refresh_case(conn, org.org_id, their_id) is False
