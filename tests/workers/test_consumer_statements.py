"""What one event costs its consumers: each consumer runs in its own transaction beside its
processed mark, so the alert and delivery consumers' units of work take no savepoint of it — a
failure takes that one consumer's transaction back whole, and no other."""

from __future__ import annotations

from sqlalchemy import event, text

from api.graphql.types.node import to_global_id
from workers.handlers import handle_event, handlers_for
from workers.relay import to_message

REGISTER = "mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id } errors { code } } }"


async def test_the_alert_and_delivery_consumers_take_no_savepoint(gql, org, platform, owner_engine):
    admin = await gql.login(org)
    body = await gql(REGISTER, {"i": {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "REPAIR", "channel": "APP",
                                      "category": "water_power", "publicArea": "地库", "description": "地库漏水"}}, token=admin)
    assert body["data"]["registerCase"]["errors"] == [], body
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'case.received'"),
                                  {"o": org.org_id})).one()
    received = to_message(row).args[0]
    consumers = {name for name, _ in handlers_for("case.received")}
    assert {"alerts", "deliveries"} <= consumers, consumers

    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(platform.engine.sync_engine, "before_cursor_execute", count)
    try:
        await handle_event(platform, received)
    finally:
        event.remove(platform.engine.sync_engine, "before_cursor_execute", count)
    assert not [s for s in sent if "SAVEPOINT" in s]
    async with owner_engine.connect() as conn:
        done = set((await conn.execute(text("SELECT consumer FROM processed_events WHERE org_id = :o AND event_id = :e"),
                                       {"o": org.org_id, "e": row.id})).scalars())
    assert done == consumers
