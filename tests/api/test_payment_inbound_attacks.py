"""POST /inbound/payments/{id} against what an integrator (or whoever holds its secret) might send
wrong on purpose: every malformed field is a coded 400/404, never a 500, and changes nothing."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.notifications.signing import webhook_signature
from tests.api import test_fee_api
from tests.api.test_fee_api import REVERSE, billed
from tests.api.test_payment_inbound import integration_of, paid, post, refunded, snapshot

fees = test_fee_api.fees

_NOW = datetime.now(UTC)
_BAD_PAID = {
    "paid_at_year_one_east": {"paid_at": "0001-01-01T00:00:00+14:00"},  # no UTC instant: was a 500
    "paid_at_year_one": {"paid_at": "0001-01-01T00:00:00+00:00"},
    "paid_at_naive": {"paid_at": "2026-12-07T10:15:00"},
    "paid_at_number": {"paid_at": 1765000000},
    "paid_at_future": {"paid_at": (_NOW + timedelta(days=1)).isoformat()},
    "amount_string": {"amount_fen": "100"},
    "amount_float": {"amount_fen": 100.0},
    "amount_negative": {"amount_fen": -100},
    "amount_zero": {"amount_fen": 0},
    "amount_bool": {"amount_fen": True},
    "amount_huge": {"amount_fen": 2**53},
    "method_list": {"method": ["wechat"]},
    "method_dict": {"method": {"a": 1}},
    "type_list": {"type": ["paid"]},
    "unit_garbage": {"unit_id": "!!not-an-id!!"},
    "unit_int": {"unit_id": 12},
    "unit_is_a_bill_id": {"unit_id": str(to_global_id("Bill", "8f3c9d5e-1111-4222-8333-944455556666"))},
    "unit_unknown": {"unit_id": "8f3c9d5e-1111-4222-8333-944455556666"},
    "txn_non_ascii": {"transaction_id": "交易号"},
    "txn_long": {"transaction_id": "x" * 101},
    "txn_int": {"transaction_id": 42},
    "bills_string": {"bills": "all"},
    "bills_of_ints": {"bills": [1, 2]},
    "bill_id_missing": {"bills": [{"amount_fen": 1}]},
    "bill_unknown": {"bills": [{"bill_id": "8f3c9d5e-1111-4222-8333-944455556666", "amount_fen": 1}]},
    "bill_amount_negative": {"bills": [{"bill_id": "8f3c9d5e-1111-4222-8333-944455556666", "amount_fen": -1}]},
    "bills_too_many": {"bills": [{"bill_id": "8f3c9d5e-1111-4222-8333-944455556666", "amount_fen": 1}] * 201},
}


@pytest.mark.parametrize("change", _BAD_PAID.values(), ids=list(_BAD_PAID))
async def test_a_malformed_paid_notification_is_refused_with_a_code(gql, client, fees, owner_engine, org, change):
    integration = await integration_of(gql, fees)
    before = await snapshot(owner_engine, org)
    r = await post(client, integration, {**paid(fees["flats"][0], 100), **change})
    assert r.status_code in (400, 404), r.text
    assert r.json()["errors"][0]["extensions"]["code"] in ("VALIDATION", "NOT_FOUND", "BAD_REQUEST"), r.text
    after = await snapshot(owner_engine, org)
    assert after[0][:3] == before[0][:3], "no bill, payment or allocation changed"


_BAD_REFUND = {
    "refunded_at_year_one_east": {"refunded_at": "0001-01-01T00:00:00+14:00"},
    "refund_id_empty": {"refund_id": ""},
    "amount_float": {"amount_fen": 1.5},
    "unknown_transaction": {"transaction_id": "no-such-transaction"},
    "above_the_payment": {"amount_fen": 30001},
}


@pytest.mark.parametrize("change", _BAD_REFUND.values(), ids=list(_BAD_REFUND))
async def test_a_malformed_refund_is_refused_with_a_code(gql, client, fees, owner_engine, org, change):
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    assert (await post(client, integration, paid(fees["flats"][0], 30000))).status_code == 200
    before = await snapshot(owner_engine, org)
    r = await post(client, integration, {**refunded(100), **change})
    assert r.status_code in (400, 404), r.text
    assert (await snapshot(owner_engine, org))[0][:3] == before[0][:3]


@pytest.mark.parametrize("body", [b"[1, 2]", b"\"paid\"", b"{\"id\": ", b"\xff\xfe", b"null"])
async def test_a_body_that_is_not_a_json_object_is_a_400(gql, client, fees, body):
    integration = await integration_of(gql, fees)
    ts = int(time.time())
    r = await client.post(integration["inboundPath"], content=body, headers={
        "x-firstcall-delivery": f"dlv-{uuid.uuid4().hex}", "x-firstcall-timestamp": str(ts),
        "x-firstcall-signature": webhook_signature(integration["secret"], ts, body)})
    assert r.status_code == 400, r.text


async def test_a_refund_never_takes_back_more_than_was_paid_across_several_refunds(gql, client, fees, owner_engine, org):
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    flat = fees["flats"][0]
    assert (await post(client, integration, paid(flat, 30000))).status_code == 200
    answers = await asyncio.gather(*(post(client, integration, refunded(20000, refund_id=f"r-{i}")) for i in range(3)))
    assert sorted(r.status_code for r in answers) == [200, 400, 400], [r.text for r in answers]
    async with owner_engine.connect() as conn:
        left = (await conn.execute(text("SELECT sum(paid_fen) FROM bills WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert left == 10000, "one refund of 20,000 taken back; the other two above what was left"


async def test_a_refund_cannot_be_reversed_at_the_desk(gql, client, fees, owner_engine, org):
    """Reversing a refund would mark it 已冲正 while the money it took back stays taken: the bills
    are not paid again and a later refund still counts it. Refused; the original payment may be reversed."""
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    assert (await post(client, integration, paid(fees["flats"][0], 30000))).status_code == 200
    refund = (await post(client, integration, refunded(10000))).json()
    before = await snapshot(owner_engine, org)
    out = (await gql(REVERSE, {"id": refund["refund_payment_id"]}, token=fees["pm"]))["data"]["reversePayment"]
    assert out["payment"] is None and out["errors"][0]["code"] == "INVALID_STATE", out
    assert await snapshot(owner_engine, org) == before
    original = (await gql(REVERSE, {"id": refund["payment_id"]}, token=fees["pm"]))["data"]["reversePayment"]
    assert original["errors"] == [] and original["payment"]["reversedAt"] is not None
