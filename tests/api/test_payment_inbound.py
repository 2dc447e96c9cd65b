"""POST /inbound/payments/{id} against the real app and database (docs/resident-services.md §6.4):
a payment integrator's signed `paid` and `refunded` notifications. A duplicated delivery and the
same transaction under a new delivery id change nothing; a transaction id with another amount or
flat is a 409; forged, stale and switched-off requests are refused; money above what is owed is
kept (OVERPAID, told to the project's cashiers); refunds take back credit, then the newest
months; and an integration never reaches another project's or company's flat or bill."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.notifications.signing import webhook_signature
from tests.api import test_fee_api
from tests.api.test_fee_api import BILLS, PAY, billed, data
from tests.integration.fees_setup import add_flats

fees = test_fee_api.fees  # the fee tests' desk: P1's three flats, its manager, cashier and dispatcher; P2's manager; a stranger

ADD = """mutation($p: ID!, $k: String) { addPaymentIntegration(projectId: $p, name: "业主App支付", idempotencyKey: $k) {
  integration { id name active inboundPath lastUsedAt } secret errors { code field message } } }"""
ACTIVE = """mutation($i: ID!, $a: Boolean!) { setPaymentIntegrationActive(integrationId: $i, active: $a) {
  integration { active } errors { code message } } }"""
ROTATE = """mutation($i: ID!) { rotatePaymentIntegrationSecret(integrationId: $i) { integration { id } secret errors { code } } }"""
LIST = "query($p: ID!) { paymentIntegrations(projectId: $p) { id name active lastUsedAt inboundPath } }"
INBOX = "{ notifications(unreadOnly: true) { items { topic title body } } }"
FILTERED = """query($p: ID!, $s: PaySource, $x: PayProblem) { payments(projectId: $p, filter: {source: $s, problem: $x}) {
  edges { node { id source problem } } } }"""
PAYMENT = "query($id: ID!) { node(id: $id) { ... on Payment { kind source problem externalId refundOf unallocated amount } } }"


async def integration_of(gql, fees) -> dict:
    body = data(await gql(ADD, {"p": fees["p1"]}, token=fees["pm"]), "addPaymentIntegration")
    assert body["errors"] == [] and body["secret"].startswith("fcs_"), body
    return {**body["integration"], "secret": body["secret"]}


async def post(client, integration: dict, payload: dict, *, secret: str | None = None, delivery: str | None = None,
               timestamp: int | None = None):
    delivery = delivery or f"dlv-{uuid.uuid4().hex}"
    raw = orjson.dumps({"id": delivery, **payload})
    ts = timestamp if timestamp is not None else int(time.time())
    return await client.post(integration["inboundPath"], content=raw, headers={
        "x-firstcall-delivery": delivery, "x-firstcall-timestamp": str(ts), "content-type": "application/json",
        "x-firstcall-signature": webhook_signature(secret or integration["secret"], ts, raw)})


def paid(unit: str, amount: int, txn: str = "4200001234202612071234567890", bills: list | None = None) -> dict:
    return {"type": "paid", "transaction_id": txn, "paid_at": (datetime.now(UTC) - timedelta(minutes=3)).isoformat(),
            "amount_fen": amount, "method": "wechat", "unit_id": unit, "bills": bills or []}


def refunded(amount: int, refund_id: str = "5030001", txn: str = "4200001234202612071234567890") -> dict:
    return {"type": "refunded", "transaction_id": txn, "refund_id": refund_id, "amount_fen": amount,
            "refunded_at": datetime.now(UTC).isoformat()}


def error(r) -> tuple[int, str, str | None]:
    e = r.json()["errors"][0]["extensions"]
    return r.status_code, e["code"], e.get("reason")


async def snapshot(owner_engine, *orgs) -> list:
    """Everything a payment touches, per company: bills, payments, allocations, events, inbox."""
    async with owner_engine.connect() as conn:
        return [(await conn.execute(text(
            "SELECT (SELECT string_agg(id || ':' || paid_fen || ':' || state, ',' ORDER BY id) FROM bills WHERE org_id = :o), "
            "(SELECT string_agg(id || ':' || unallocated_fen || ':' || coalesce(problem, '-'), ',' ORDER BY id) FROM payments "
            "   WHERE org_id = :o), (SELECT count(*) || ':' || coalesce(sum(amount_fen), 0) FROM payment_allocations WHERE org_id = :o), "
            "(SELECT count(*) FROM outbox WHERE org_id = :o), (SELECT count(*) FROM audit_log WHERE org_id = :o), "
            "(SELECT count(*) FROM receipt_numbers WHERE org_id = :o)"), {"o": o.org_id})).one() for o in orgs]


async def bills_of(gql, fees, flat: str) -> list[dict]:
    edges = data(await gql(BILLS.replace("first: 3", "first: 20"), {"p": fees["p1"], "u": flat}, token=fees["pm"]), "bills")["edges"]
    return sorted((e["node"] for e in edges), key=lambda b: b["period"])  # oldest month first


async def test_a_paid_notification_pays_the_named_bills_once(gql, client, fees, owner_engine, org):
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    flat = fees["flats"][0]  # 12 bills of 20,000
    bills = await bills_of(gql, fees, flat)
    named = [{"bill_id": bills[2]["id"], "amount_fen": 20000}, {"bill_id": bills[0]["id"], "amount_fen": 20000}]
    r = await post(client, integration, paid(flat, 40000, bills=named), delivery="dlv-first-000001")
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["duplicate"] is False and answer["problem"] is None and answer["unallocated_fen"] == 0
    assert answer["receipt_no"].startswith("SJ-P1-")
    assert answer["allocated"] == named  # as named, the ids as the app reads them
    payment = data(await gql(PAYMENT, {"id": answer["payment_id"]}, token=fees["pm"]), "node")
    assert payment == {"kind": "payment", "source": "integration", "problem": None, "externalId": "4200001234202612071234567890",
                       "refundOf": None, "unallocated": 0, "amount": 40000}
    states = [b["stateLabel"] for b in await bills_of(gql, fees, flat)][:3]
    assert states == ["已缴", "未缴", "已缴"]
    [listed] = data(await gql(LIST, {"p": fees["p1"]}, token=fees["pm"]), "paymentIntegrations")
    assert listed["lastUsedAt"] is not None and listed["inboundPath"] == integration["inboundPath"]
    async with owner_engine.connect() as conn:
        event = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'payment.recorded'"),
                                    {"o": org.org_id})).scalar_one()
        actor = (await conn.execute(text("SELECT actor FROM audit_log WHERE org_id = :o AND action = 'payment.recorded'"),
                                    {"o": org.org_id})).scalar_one()
    assert event["amount_fen"] == 40000 and event["source"] == "integration" and event["periods"] == ["2025-01", "2025-03"]
    assert actor.startswith("payment_integration:")

    before = await snapshot(owner_engine, org)
    again = await post(client, integration, paid(flat, 40000, bills=named), delivery="dlv-first-000001")
    assert again.status_code == 200 and again.json() == {**answer, "duplicate": True}
    # The same transaction under a new delivery id: the payment on file, nothing new.
    other = await post(client, integration, paid(flat, 40000))
    assert other.status_code == 200 and other.json()["duplicate"] is True and other.json()["payment_id"] == answer["payment_id"]
    assert other.json()["receipt_no"] == answer["receipt_no"]
    for changed in (paid(flat, 40001), paid(fees["flats"][1], 40000)):  # another amount, another flat
        refused = await post(client, integration, changed)
        assert error(refused) == (409, "CONFLICT", "TRANSACTION_MISMATCH"), refused.text
    assert await snapshot(owner_engine, org) == before


async def test_forged_stale_switched_off_and_rotated(gql, client, fees, owner_engine, org):
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    flat = fees["flats"][0]
    before = await snapshot(owner_engine, org)
    forged = await post(client, integration, paid(flat, 100), secret="fcs_not-the-secret")
    assert error(forged)[:2] == (401, "UNAUTHENTICATED")
    stale = await post(client, integration, paid(flat, 100), timestamp=int(time.time()) - 600)
    assert error(stale)[:2] == (401, "UNAUTHENTICATED")
    unknown = await post(client, {**integration, "inboundPath": f"/inbound/payments/{uuid.uuid4()}"}, paid(flat, 100))
    assert error(unknown)[:2] == (404, "NOT_FOUND")
    for bad, field in (({**paid(flat, 100), "amount_fen": 1.5}, "amount_fen"), ({**paid(flat, 100), "method": "gold"}, "method"),
                       ({**paid(flat, 100), "paid_at": "2026-12-07T10:15"}, "paid_at"),  # no offset
                       ({**paid(flat, 100), "type": "chargeback"}, "type"), ({**paid(flat, 100), "unit_id": "nope"}, "unit_id")):
        refused = await post(client, integration, bad)
        assert error(refused)[:2] == (400, "VALIDATION") and field in refused.text, (field, refused.text)
    assert data(await gql(ACTIVE, {"i": integration["id"], "a": False}, token=fees["pm"]), "setPaymentIntegrationActive")[
        "integration"] == {"active": False}
    assert error(await post(client, integration, paid(flat, 100)))[:2] == (403, "FORBIDDEN")
    assert await snapshot(owner_engine, org) != before  # the switch's own audit row …
    before = await snapshot(owner_engine, org)
    data(await gql(ACTIVE, {"i": integration["id"], "a": True}, token=fees["pm"]), "setPaymentIntegrationActive")
    rotated = data(await gql(ROTATE, {"i": integration["id"]}, token=fees["pm"]), "rotatePaymentIntegrationSecret")
    assert rotated["secret"] != integration["secret"]
    assert error(await post(client, integration, paid(flat, 100)))[:2] == (401, "UNAUTHENTICATED")
    assert (await post(client, integration, paid(flat, 100), secret=rotated["secret"])).status_code == 200
    assert (await snapshot(owner_engine, org))[0][0] != before[0][0]  # … and now a bill paid


async def test_money_above_what_is_owed_is_kept_and_told_to_the_cashiers(gql, client, fees, owner_engine, org, platform):
    from workers.handlers import handle_event
    from workers.relay import to_message

    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    flat = fees["flats"][1]  # 12 bills of 16,000: 192,000
    bills = await bills_of(gql, fees, flat)
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    # The desk took January meanwhile; the app still names it.
    data(await gql(PAY, {"u": flat, "a": 16000, "at": at}, token=fees["agent"]), "recordPayment")
    r = await post(client, integration, paid(flat, 200000, bills=[{"bill_id": bills[0]["id"], "amount_fen": 16000}]))
    assert r.status_code == 200, r.text
    answer = r.json()
    # January already paid: the money goes to February … December (176,000), 24,000 kept as credit.
    assert answer["problem"] == "OVERPAID" and answer["unallocated_fen"] == 24000
    assert [a["bill_id"] for a in answer["allocated"]] == [b["id"] for b in bills[1:]]
    assert all(b["stateLabel"] == "已缴" for b in await bills_of(gql, fees, flat))
    assert data(await gql(PAYMENT, {"id": answer["payment_id"]}, token=fees["pm"]), "node")["problem"] == "OVERPAID"
    for source, problem, expected in ((None, "OVERPAID", [(answer["payment_id"], "integration")]),
                                      ("INTEGRATION", None, [(answer["payment_id"], "integration")]),
                                      ("STAFF", None, [(None, "staff")])):
        edges = data(await gql(FILTERED, {"p": fees["p1"], "s": source, "x": problem}, token=fees["disp"]), "payments")["edges"]
        assert [(e["node"]["id"] if e["node"]["problem"] else None, e["node"]["source"]) for e in edges] == expected

    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'payment.recorded' ORDER BY created_at"),
                                   {"o": org.org_id})).all()
    for row in rows:  # the desk's payment tells nobody; the integrator's overpayment tells the cashiers
        await handle_event(platform, to_message(row).args[0])
        await handle_event(platform, to_message(row).args[0])  # a redelivery adds nothing
    [told] = data(await gql(INBOX, token=fees["agent"]), "notifications")["items"]
    assert told["topic"] == "payment.overpaid" and "请退款或转预存" in told["title"] and "240.00" in told["body"]
    assert len(data(await gql(INBOX, token=fees["pm"]), "notifications")["items"]) == 1
    assert len(data(await gql(INBOX, token=await gql.login(org)), "notifications")["items"]) == 1  # org admin collects too
    for nobody in ("disp", "pm2"):  # reads fees only; collects in another project
        assert data(await gql(INBOX, token=fees[nobody]), "notifications")["items"] == []


async def test_a_refund_takes_back_credit_then_the_newest_months(gql, client, fees, owner_engine, org):
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    flat = fees["flats"][1]  # 12 × 16,000
    first = (await post(client, integration, paid(flat, 200000))).json()
    assert first["unallocated_fen"] == 8000 and first["problem"] == "OVERPAID"

    r = await post(client, integration, refunded(10000), delivery="dlv-refund-00001")
    assert r.status_code == 200, r.text
    back = r.json()
    assert back["payment_id"] == first["payment_id"] and back["from_credit_fen"] == 8000 and back["duplicate"] is False
    bills = await bills_of(gql, fees, flat)
    assert back["taken_back"] == [{"bill_id": bills[-1]["id"], "amount_fen": 2000}]  # December, the newest
    assert (bills[-1]["outstanding"], bills[-1]["stateLabel"], bills[-2]["stateLabel"]) == (2000, "未缴", "已缴")
    assert back["receipt_no"] == first["receipt_no"] + "-TK1"
    refund = data(await gql(PAYMENT, {"id": back["refund_payment_id"]}, token=fees["pm"]), "node")
    assert (refund["kind"], refund["refundOf"], refund["amount"], refund["externalId"]) == ("refund", first["payment_id"], 10000, "5030001")
    assert data(await gql(PAYMENT, {"id": first["payment_id"]}, token=fees["pm"]), "node")["unallocated"] == 0
    printed = await client.get(f"/print/receipts/{back['refund_payment_id']}", headers={"authorization": f"Bearer {fees['pm']}"})
    assert printed.status_code == 200 and "退款凭证" in printed.text and "¥100.00" in printed.text and "退款日期" in printed.text

    before = await snapshot(owner_engine, org)
    replay = await post(client, integration, refunded(10000), delivery="dlv-refund-00001")
    assert replay.json() == {**back, "duplicate": True}
    again = await post(client, integration, refunded(10000))  # the same refund id, a new delivery
    assert again.status_code == 200 and again.json() == {"duplicate": True, "payment_id": back["payment_id"],
                                                         "refund_payment_id": back["refund_payment_id"], "receipt_no": back["receipt_no"]}
    assert error(await post(client, integration, refunded(9000))) == (409, "CONFLICT", "TRANSACTION_MISMATCH")
    assert error(await post(client, integration, refunded(190001, "5030002")))[:2] == (400, "VALIDATION")  # more than is left
    assert error(await post(client, integration, refunded(100, "5030003", txn="no-such-transaction")))[:2] == (404, "NOT_FOUND")
    assert await snapshot(owner_engine, org) == before

    # The rest refunded in full: every month is owed again, and the ledger adds up.
    assert (await post(client, integration, refunded(190000, "5030004"))).status_code == 200
    assert [b["outstanding"] for b in await bills_of(gql, fees, flat)] == [16000] * 12
    assert error(await post(client, integration, refunded(1, "5030005")))[:2] == (400, "VALIDATION")


async def test_an_integration_never_reaches_another_project_or_company(gql, client, fees, owner_engine, org, other_org):
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    [p2_flat] = await add_flats(owner_engine, org, "P2", [50.0])
    [far_flat] = await add_flats(owner_engine, other_org, "P1", [50.0])
    ids = {}
    async with owner_engine.begin() as conn:
        for name, o, project, unit in (("p2", org, "P2", p2_flat), ("far", other_org, "P1", far_flat)):
            item = (await conn.execute(text(
                "INSERT INTO charge_items (org_id, project_id, code, name, kind, basis, starts_on) "
                "VALUES (:o, :p, 'WYF', '物业费', 'property', 'area', '2025-01-01') RETURNING id"),
                {"o": o.org_id, "p": o.projects[project]})).scalar()
            ids[name] = (await conn.execute(text(
                "INSERT INTO bills (org_id, project_id, unit_id, charge_item_id, period, period_end, due_on, amount_fen, source) "
                "VALUES (:o, :p, :u, :i, '2025-01-01', '2025-01-31', '2025-01-15', 5000, 'run') RETURNING id"),
                {"o": o.org_id, "p": o.projects[project], "u": unit, "i": item})).scalar()
    before = await snapshot(owner_engine, org, other_org)
    mine = fees["flats"][0]
    for unit, bill in ((to_global_id("Unit", p2_flat), None), (to_global_id("Unit", far_flat), None), (str(far_flat), None),
                       (mine, to_global_id("Bill", ids["p2"])), (mine, to_global_id("Bill", ids["far"]))):
        named = [{"bill_id": bill, "amount_fen": 5000}] if bill else []
        r = await post(client, integration, paid(unit, 5000, txn=f"t-{uuid.uuid4().hex}", bills=named))
        assert error(r)[:2] == (404, "NOT_FOUND"), r.text
    assert await snapshot(owner_engine, org, other_org) == before


async def test_integrations_are_managed_within_their_project_and_company(gql, fees, owner_engine, org):
    integration = await integration_of(gql, fees)
    assert data(await gql(ADD, {"p": fees["p1"], "k": "a1"}, token=fees["pm"]), "addPaymentIntegration")["secret"] is not None
    replay = data(await gql(ADD, {"p": fees["p1"], "k": "a1"}, token=fees["pm"]), "addPaymentIntegration")
    assert replay["secret"] is None and replay["integration"]["name"] == "业主App支付"  # the secret is shown once
    before = await snapshot(owner_engine, org)
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT count(*), string_agg(active::text || secret_enc::text, ',' ORDER BY id) "
                                        "FROM payment_integrations WHERE org_id = :o"), {"o": org.org_id})).one()
    for caller in ("stranger", "pm2"):
        assert data(await gql(ADD, {"p": fees["p1"]}, token=fees[caller]), "addPaymentIntegration")["errors"][0]["code"] == "NOT_FOUND"
        assert data(await gql(ACTIVE, {"i": integration["id"], "a": False}, token=fees[caller]),
                    "setPaymentIntegrationActive")["errors"][0]["code"] == "NOT_FOUND"
        assert data(await gql(ROTATE, {"i": integration["id"]}, token=fees[caller]),
                    "rotatePaymentIntegrationSecret")["errors"][0]["code"] == "NOT_FOUND"
        listed = await gql(LIST, {"p": fees["p1"]}, token=fees[caller])
        assert listed["errors"][0]["extensions"]["code"] == "NOT_FOUND", listed
    for caller in ("agent", "disp"):  # collects or reads fees, but does not manage them
        for doc, variables in ((ADD, {"p": fees["p1"]}), (ACTIVE, {"i": integration["id"], "a": False}),
                               (ROTATE, {"i": integration["id"]}), (LIST, {"p": fees["p1"]})):
            assert (await gql(doc, variables, token=fees[caller]))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*), string_agg(active::text || secret_enc::text, ',' ORDER BY id) "
                                        "FROM payment_integrations WHERE org_id = :o"), {"o": org.org_id})).one() == rows
    assert await snapshot(owner_engine, org) == before
    listed = data(await gql(LIST, {"p": fees["p1"]}, token=fees["pm"]), "paymentIntegrations")
    assert [i["active"] for i in listed] == [True, True] and "secret" not in str(listed)


@pytest.mark.parametrize("amounts", [(20000,), (20000, 20000)])
async def test_named_amounts_above_the_payment_are_refused(gql, client, fees, amounts):
    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    bills = await bills_of(gql, fees, fees["flats"][0])
    named = [{"bill_id": b["id"], "amount_fen": a} for b, a in zip(bills, amounts, strict=False)]
    r = await post(client, integration, paid(fees["flats"][0], 19999, bills=named))
    assert error(r)[:2] == (400, "VALIDATION") and "bills" in r.text


async def test_one_transaction_sent_twice_at_once_is_one_payment(gql, client, fees, owner_engine, org):
    import asyncio

    await billed(gql, fees)
    integration = await integration_of(gql, fees)
    answers = await asyncio.gather(*(post(client, integration, paid(fees["flats"][0], 30000)) for _ in range(3)))
    assert [r.status_code for r in answers] == [200, 200, 200], [r.text for r in answers]
    assert sorted(r.json()["duplicate"] for r in answers) == [False, True, True]
    assert len({r.json()["payment_id"] for r in answers}) == 1
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT (SELECT count(*) FROM payments WHERE org_id = :o), "
                                        "(SELECT sum(paid_fen) FROM bills WHERE org_id = :o)"), {"o": org.org_id})).one() == (1, 30000)
