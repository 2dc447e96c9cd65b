"""Payment topics through the real path (docs/webhooks.md): an integrator's overpayment, its
clearing by refund, and a desk payment reversed, each written to the outbox in its own transaction,
published by the relay, planned by the deliveries consumer and sent signed by the sender worker —
`payment.recorded`, `payment.overpaid`, `payment.refunded`, `payment.cleared`, `payment.reversed`
with ids and amounts only. A group robot subscribed to `payment.overpaid` gets its words; another
project's channel and another company's hear nothing of ours."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from domain.notifications.signing import verify_webhook
from tests.api import test_fee_api
from tests.api.test_fee_api import PAY, REVERSE, billed, data
from tests.api.test_org_overview import settle
from tests.api.test_overpaid_clearing import CLEAR
from tests.api.test_payment_inbound import integration_of, paid, post
from tests.workers.test_delivery import ADD, SECRET, Receiver

fees = test_fee_api.fees
TOPICS = ["payment.recorded", "payment.overpaid", "payment.refunded", "payment.cleared", "payment.reversed"]


async def channel(gql, token, spec) -> None:
    assert (await gql(ADD, {"i": spec}, token=token))["data"]["addDeliveryChannel"]["errors"] == []


async def test_payment_events_reach_subscribed_channels_signed(gql, client, fees, owner_engine, org, other_org, platform,
                                                               stub_worker):
    async with owner_engine.begin() as conn:
        # Earlier tests' unrelayed events (sends to hosts that do not resolve) would hold up settle.
        await conn.execute(text("UPDATE outbox SET published_at = now() WHERE published_at IS NULL"))
    receiver = Receiver(fail_first=0)
    admin = await gql.login(org)
    await channel(gql, admin, {"kind": "WEBHOOK", "name": "财务系统", "target": f"{receiver.url}/ours", "secret": SECRET,
                               "topics": TOPICS})
    await channel(gql, admin, {"kind": "WECOM", "name": "收费群", "target": f"{receiver.url}/robot?key=k",
                               "topics": ["payment.overpaid"]})
    await channel(gql, admin, {"kind": "WEBHOOK", "name": "二期财务", "target": f"{receiver.url}/p2", "secret": SECRET,
                               "topics": TOPICS, "projectId": to_global_id("Project", org.projects["P2"])})
    await channel(gql, fees["stranger"], {"kind": "WEBHOOK", "name": "别家", "target": f"{receiver.url}/theirs",
                                          "secret": SECRET, "topics": TOPICS})
    await settle(platform, stub_worker)  # the channels' own events
    await billed(gql, fees)

    integration = await integration_of(gql, fees)
    over = (await post(client, integration, paid(fees["flats"][1], 200000, "tx-hooks"))).json()
    cleared = data(await gql(CLEAR, {"id": over["payment_id"], "r": "REFUND"}, token=fees["agent"]), "clearOverpaidPayment")
    refund_id = cleared["payment"]["clearance"]["refundId"]
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    desk = data(await gql(PAY, {"u": fees["flats"][0], "a": 20000, "at": at}, token=fees["agent"]), "recordPayment")["payment"]
    assert data(await gql(REVERSE, {"id": desk["id"]}, token=fees["pm"]), "reversePayment")["errors"] == []
    await settle(platform, stub_worker)

    sent = receiver.at("/ours")
    for r in sent:
        h = r["headers"]
        assert verify_webhook(SECRET, h["x-firstcall-timestamp"], r["body"], h["x-firstcall-signature"])
    got = [orjson.loads(r["body"]) for r in sent]
    assert Counter(g["topic"] for g in got) == Counter(
        {"payment.recorded": 2, "payment.overpaid": 1, "payment.refunded": 1, "payment.cleared": 1, "payment.reversed": 1})
    by = {(g["topic"], g["data"].get("source")): g for g in got}
    overpaid_id = str(from_global_id(over["payment_id"], "Payment", "id"))
    o = by[("payment.overpaid", "integration")]
    assert (o["data"]["payment_id"], o["data"]["unallocated_fen"], o["data"]["amount_fen"]) == (overpaid_id, 8000, 200000)
    assert o["title"] == f"多收待处理：收据 {over['receipt_no']}" and "¥80.00" in o["body"]
    c = next(g for g in got if g["topic"] == "payment.cleared")
    assert (c["data"]["payment_id"], c["data"]["resolution"], c["data"]["amount_fen"]) == (overpaid_id, "refund", 8000)
    assert c["data"]["refund_id"] == str(from_global_id(refund_id, "Payment", "id"))
    f = next(g for g in got if g["topic"] == "payment.refunded")
    assert (f["data"]["refund_of"], f["data"]["from_credit_fen"], f["data"]["source"]) == (overpaid_id, 8000, "staff")
    rv = next(g for g in got if g["topic"] == "payment.reversed")
    assert (rv["data"]["payment_id"], rv["data"]["receipt_no"]) == (str(from_global_id(desk["id"], "Payment", "id")),
                                                                    desk["receiptNo"])
    # Ids and amounts only: no name, no phone in any of it.
    assert not any(k in g["data"] for g in got for k in ("name", "phone", "contact_name"))

    [robot] = receiver.at("/robot")
    assert "多收待处理" in orjson.loads(robot["body"])["markdown"]["content"]
    assert receiver.at("/p2") == [] and receiver.at("/theirs") == []
