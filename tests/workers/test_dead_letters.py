"""Dead letters: an event a consumer cannot handle after its last retry is recorded for the
company's administrators, who can send it again once the cause is fixed; another company sees
none of it."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user
from tests.workers.test_delivery import SECRET, Receiver
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all

LETTERS = "query($r: Boolean!) { deadLetters(includeRetried: $r) { id topic attempts error retriedAt retriedBy } }"
RETRY = "mutation($id: ID!) { retryDeadLetter(id: $id) { deadLetter { retriedAt } errors { code field } } }"


async def cycle(platform, broker) -> None:
    for _ in range(3):
        await relay_all(platform, broker)
        await asyncio.to_thread(broker.join, EVENTS_QUEUE, timeout=10_000, fail_fast=False)


async def test_a_failed_event_is_listed_and_sent_again(gql, org, other_org, owner_engine, platform, stub_worker):
    stub_worker.get_actor("handle_event").options.update(max_retries=0)  # give up at once, for the test's sake
    receiver = Receiver(fail_first=10**6)
    try:
        admin = await gql.login(org)
        channel = {"kind": "WEBHOOK", "name": "业主App", "target": f"{receiver.url}/flaky", "secret": SECRET, "topics": ["case.committed"]}
        assert (await gql("mutation($i: DeliveryChannelInput!) { addDeliveryChannel(input: $i) { errors { code } } }",
                          {"i": channel}, token=admin))["data"]["addDeliveryChannel"]["errors"] == []
        case = (await gql("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id } } }", {"i": {
            "projectId": to_global_id("Project", org.projects["P1"]), "kind": "REPAIR", "channel": "APP",
            "category": "water_power", "publicArea": "地库", "description": "地库漏水"}}, token=admin))["data"]["registerCase"]["case"]
        await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case["id"]}, token=admin)
        await cycle(platform, stub_worker)

        letters = (await gql(LETTERS, {"r": False}, token=admin))["data"]["deadLetters"]
        assert [(d["topic"], d["attempts"]) for d in letters] == [("delivery.created", 1)]
        assert "HTTP 500" in letters[0]["error"]
        await add_user(owner_engine, org, "agent", "cs_agent", "P1")
        agent = await gql.login(org, "agent")
        assert (await gql(LETTERS, {"r": False}, token=agent))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        outsider = await gql.login(other_org)
        assert (await gql(LETTERS, {"r": True}, token=outsider))["data"]["deadLetters"] == []
        assert (await gql(RETRY, {"id": letters[0]["id"]}, token=outsider))["data"]["retryDeadLetter"]["errors"][0]["code"] == "NOT_FOUND"

        receiver.fail_first = 0  # the receiver is fixed
        done = (await gql(RETRY, {"id": letters[0]["id"]}, token=admin))["data"]["retryDeadLetter"]
        assert done["errors"] == [] and done["deadLetter"]["retriedAt"] is not None
        await cycle(platform, stub_worker)
        async with owner_engine.connect() as conn:
            status = (await conn.execute(text("SELECT status, attempts FROM deliveries WHERE org_id = :o"), {"o": org.org_id})).one()
        assert tuple(status) == ("sent", 2)
        assert (await gql(LETTERS, {"r": False}, token=admin))["data"]["deadLetters"] == []
        again = (await gql(RETRY, {"id": letters[0]["id"]}, token=admin))["data"]["retryDeadLetter"]["errors"]
        assert again == [{"code": "CONFLICT", "field": "id"}]
        assert len({r["headers"]["x-firstcall-delivery"] for r in receiver.at("/flaky")}) == 1
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
