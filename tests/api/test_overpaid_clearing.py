"""结清多收 `clearOverpaidPayment` (docs/resident-services.md, "As built — resident-service gaps"):
an integrator's payment marked OVERPAID is settled by a cashier holding fee:collect — REFUND
records a staff refund of the credit left on it, CREDIT keeps the credit for the next bills — and
the mark is lifted with who, when, how and a note; one audit row and event `payment.cleared`.
The same key answers the same and writes nothing; clearing again is INVALID_STATE; credit already
spent on bills cannot be refunded; a reader is FORBIDDEN, another project's manager and another
company NOT_FOUND, each with nothing written in either company."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from api.graphql.types.node import from_global_id
from tests.api import test_fee_api
from tests.api.test_fee_api import PAY, billed, data
from tests.api.test_payment_inbound import integration_of, paid, post, refunded, snapshot

fees = test_fee_api.fees

CLEAR = """mutation($id: ID!, $r: OverpaidResolution!, $m: PayMethod, $k: String) {
  clearOverpaidPayment(paymentId: $id, resolution: $r, note: "已与业主确认", refundMethod: $m, idempotencyKey: $k) {
  payment { id problem unallocated clearance { resolution resolutionLabel note refundId clearedBy clearedByActor { kind displayName } } }
  errors { code field reason message } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on Payment { kind source amount refundOf receiptNo methodLabel unallocated
  problem clearance { resolution } } } }"""


async def overpaid(gql, client, fees, flat: int, amount: int, txn: str) -> dict:
    integration = await integration_of(gql, fees) if "integration" not in fees else fees["integration"]
    fees["integration"] = integration
    answer = (await post(client, integration, paid(fees["flats"][flat], amount, txn))).json()
    assert answer["problem"] == "OVERPAID", answer
    return answer


async def written(owner_engine, org) -> tuple:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT (SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'payment.cleared'), "
            "(SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'payment.cleared'), "
            "(SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'payment.refunded')"), {"o": org.org_id})).one()


async def test_a_refund_gives_the_credit_back_once(gql, client, fees, owner_engine, org):
    await billed(gql, fees)
    first = await overpaid(gql, client, fees, 1, 200000, "tx-refund")  # 12 × 16,000 owed: 8,000 kept
    assert first["unallocated_fen"] == 8000
    vars_ = {"id": first["payment_id"], "r": "REFUND", "m": "CASH", "k": "clear-1"}
    body = data(await gql(CLEAR, vars_, token=fees["agent"]), "clearOverpaidPayment")
    assert body["errors"] == []
    pay = body["payment"]
    assert (pay["problem"], pay["unallocated"]) == (None, 0)
    c = pay["clearance"]
    assert (c["resolution"], c["resolutionLabel"], c["note"], c["clearedBy"].startswith("user:")) == \
        ("REFUND", "已退款", "已与业主确认", True)
    assert c["clearedByActor"]["kind"] == "USER"
    refund = data(await gql(NODE, {"id": c["refundId"]}, token=fees["pm"]), "node")
    assert (refund["kind"], refund["source"], refund["amount"], refund["refundOf"], refund["methodLabel"]) == \
        ("refund", "staff", 8000, first["payment_id"], "现金")
    assert refund["receiptNo"] == first["receipt_no"] + "-TK1"
    assert await written(owner_engine, org) == (1, 1, 1)

    before = await snapshot(owner_engine, org)
    again = data(await gql(CLEAR, vars_, token=fees["agent"]), "clearOverpaidPayment")  # the same key: the same answer
    assert again["errors"] == [] and again["payment"]["clearance"]["refundId"] == c["refundId"]
    twice = data(await gql(CLEAR, {**vars_, "k": "clear-2"}, token=fees["agent"]), "clearOverpaidPayment")
    assert [(e["code"], e["reason"]) for e in twice["errors"]] == [("INVALID_STATE", "PAYMENT_NOT_OVERPAID")]
    assert "已结清" in twice["errors"][0]["message"]
    assert await snapshot(owner_engine, org) == before and await written(owner_engine, org) == (1, 1, 1)


async def test_credit_is_kept_and_spent_credit_is_not_refunded(gql, client, fees, owner_engine, org):
    await billed(gql, fees)
    kept = await overpaid(gql, client, fees, 0, 245000, "tx-credit")  # 240,000 owed: 5,000 kept
    body = data(await gql(CLEAR, {"id": kept["payment_id"], "r": "CREDIT"}, token=fees["pm"]), "clearOverpaidPayment")
    assert body["errors"] == [] and (body["payment"]["problem"], body["payment"]["unallocated"]) == (None, 5000)
    assert body["payment"]["clearance"]["resolutionLabel"] == "转预存" and body["payment"]["clearance"]["refundId"] is None

    # Credit spent meanwhile (as the credits consumer does when new bills come): nothing to refund.
    spent = await overpaid(gql, client, fees, 1, 200000, "tx-spent")
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE payments SET unallocated_fen = 0 WHERE id = :id"),
                           {"id": from_global_id(spent["payment_id"], "Payment", "id")})
    refused = data(await gql(CLEAR, {"id": spent["payment_id"], "r": "REFUND"}, token=fees["pm"]), "clearOverpaidPayment")
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("VALIDATION", "resolution")]
    assert data(await gql(CLEAR, {"id": spent["payment_id"], "r": "CREDIT"}, token=fees["pm"]),
                "clearOverpaidPayment")["errors"] == []

    # Refunded by the integrator itself: REFUND lifts the mark and records no second refund.
    third = await overpaid(gql, client, fees, 0, 5000, "tx-third")  # nothing owed any more: all credit
    assert (await post(client, fees["integration"], refunded(5000, "rf-1", "tx-third"))).status_code == 200
    done = data(await gql(CLEAR, {"id": third["payment_id"], "r": "REFUND"}, token=fees["pm"]), "clearOverpaidPayment")
    assert done["errors"] == [] and done["payment"]["clearance"]["refundId"] is None
    assert await written(owner_engine, org) == (3, 3, 1)

    # A desk payment was never overpaid.
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    desk = data(await gql(PAY, {"u": fees["flats"][0], "a": 100, "at": at}, token=fees["pm"]), "recordPayment")
    not_marked = data(await gql(CLEAR, {"id": desk["payment"]["id"], "r": "CREDIT"}, token=fees["pm"]), "clearOverpaidPayment")
    assert [e["reason"] for e in not_marked["errors"]] == ["PAYMENT_NOT_OVERPAID"]


async def test_readers_other_projects_and_other_companies_change_nothing(gql, client, fees, owner_engine, org, other_org):
    await billed(gql, fees)
    answer = await overpaid(gql, client, fees, 1, 200000, "tx-walls")
    before = await snapshot(owner_engine, org, other_org)
    for who, code in (("disp", "FORBIDDEN"), ("pm2", "NOT_FOUND"), ("stranger", "NOT_FOUND")):
        body = await gql(CLEAR, {"id": answer["payment_id"], "r": "REFUND", "k": f"k-{who}"}, token=fees[who])
        if "errors" in body:
            codes = [e["extensions"]["code"] for e in body["errors"]]
        else:
            codes = [e["code"] for e in body["data"]["clearOverpaidPayment"]["errors"]]
        assert codes == [code], (who, body)
    assert await snapshot(owner_engine, org, other_org) == before
    node = data(await gql(NODE, {"id": answer["payment_id"]}, token=fees["pm"]), "node")
    assert (node["problem"], node["clearance"], node["unallocated"]) == ("OVERPAID", None, 8000)
