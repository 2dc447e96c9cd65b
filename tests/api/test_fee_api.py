"""The fee core through the API (docs/resident-services.md §9.2), as the application role: charge
items, rates, overrides, bill runs (dry and real, re-run creating nothing), bills, a flat's
account, payments at the desk (idempotent by key), waivers, cancellations, reversals, one-off
charges and the arrears list with its ageing. Every query and mutation: another company's ids
and another project's (a project manager of P2) → NOT_FOUND and nothing changed; a caller
without the permission → FORBIDDEN."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user
from tests.integration.fees_setup import add_flats

ERR = "errors { code reason field message }"
CREATE_ITEM = """mutation($p: ID!, $code: String!, $basis: ChargeBasis!, $k: String) { createChargeItem(input: {projectId: $p,
  code: $code, name: "物业费", kind: PROPERTY, basis: $basis, startsOn: "2025-01-01", dueDay: 15, vacantPercent: 50},
  idempotencyKey: $k) { chargeItem { id code kindLabel basisLabel vacantPercent } %s } }""" % ERR
UPDATE_ITEM = """mutation($i: ID!) { updateChargeItem(chargeItemId: $i, input: {name: "物业服务费"}) { chargeItem { name } %s } }""" % ERR
SET_RATE = """mutation($i: ID!, $r: Rate1e4!) { setChargeRate(chargeItemId: $i, effectiveFrom: "2025-01-01", rate: $r)
  { chargeItem { rates { effectiveFrom rate rateYuan } } %s } }""" % ERR
OVERRIDE = """mutation($i: ID!, $u: ID!) { setChargeOverride(input: {chargeItemId: $i, unitId: $u, excluded: true, reason: "自持"})
  { chargeItem { id } %s } }""" % ERR
GENERATE = """mutation($p: ID!, $i: ID!, $dry: Boolean!, $k: String) { generateBills(input: {projectId: $p, fromMonth: "2025-01-01",
  toMonth: "2025-12-01", chargeItemIds: [$i], dryRun: $dry}, idempotencyKey: $k) { billRun { id dryRun created total totalYuan
  skipped { reason count } } %s } }""" % ERR
ONE_OFF = """mutation($i: ID!, $u: ID!) { chargeOneOff(input: {chargeItemId: $i, unitIds: [$u], amount: "5000",
  period: "2026-11-01", dueOn: "2026-11-30", note: "装修押金"}) { bills { id amount yuan } %s } }""" % ERR
PAY = """mutation($u: ID!, $a: Fen!, $at: DateTime!, $k: String) { recordPayment(input: {unitId: $u, amount: $a, method: CASH,
  paidAt: $at}, idempotencyKey: $k) { payment { id receiptNo yuan unallocated methodLabel allocations { amount bill { period } } }
  %s } }""" % ERR
REVERSE = """mutation($id: ID!) { reversePayment(paymentId: $id, reason: "收错户") { payment { reversedAt allocations { amount } }
  %s } }""" % ERR
WAIVE = """mutation($b: ID!) { waiveBill(billId: $b, amount: 100, reason: "困难户") { bill { waived stateLabel } %s } }""" % ERR
CANCEL = """mutation($b: ID!) { cancelBill(billId: $b, reason: "重复") { bill { state } %s } }""" % ERR
ITEMS = "query($p: ID!) { chargeItems(projectId: $p) { code rates { rate } } }"
RUNS = "query($p: ID!) { billRuns(projectId: $p) { dryRun created } }"
BILLS = """query($p: ID!, $u: ID) { bills(projectId: $p, filter: {unitId: $u}, first: 3) { totalCount
  edges { node { id period amount outstanding overdue stateLabel unit { label } chargeItem { code } } } } }"""
ACCOUNT = """query($u: ID!) { unitAccount(unitId: $u) { outstanding overdue credit openBills oldestDueOn
  bills(first: 2) { totalCount } payments { receiptNo } } }"""
ARREARS = """query($p: ID!, $order: ArrearsOrder!, $after: String) { arrears(projectId: $p, orderBy: $order, first: 1, after: $after)
  { totals { flats overdue overdueYuan ageing { d30 d90 d180 d365 over365 } }
    edges { cursor node { label overdue oldestDueOn contactName ageing { over365 } } } pageInfo { hasNextPage } } }"""
PAYMENTS = """query($p: ID!, $u: ID) { payments(projectId: $p, filter: {unitId: $u, method: CASH}) { totalCount
  edges { node { receiptNo amount unit { label } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Payment { receiptNo } ... on Bill { amount } } }"


@pytest.fixture
async def fees(gql, owner_engine, org, other_org):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    await add_user(owner_engine, org, "disp1", "dispatcher", "P1")
    flats = await add_flats(owner_engine, org, "P1", [100.0, 80.0, 60.0])
    return {"pm": await gql.login(org, "pm1"), "pm2": await gql.login(org, "pm2"), "agent": await gql.login(org, "agent1"),
            "disp": await gql.login(org, "disp1"), "stranger": await gql.login(other_org),
            "p1": to_global_id("Project", org.projects["P1"]), "flats": [to_global_id("Unit", f) for f in flats]}


def data(body: dict, field: str) -> dict:
    assert "errors" not in body, body
    return body["data"][field]


async def billed(gql, fees) -> str:
    """WYF at 2.00 元/m², billed for 2025; the third flat excluded."""
    item = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "WYF", "basis": "AREA"}, token=fees["pm"]),
                "createChargeItem")["chargeItem"]["id"]
    data(await gql(SET_RATE, {"i": item, "r": 20000}, token=fees["pm"]), "setChargeRate")
    data(await gql(OVERRIDE, {"i": item, "u": fees["flats"][2]}, token=fees["pm"]), "setChargeOverride")
    data(await gql(GENERATE, {"p": fees["p1"], "i": item, "dry": False}, token=fees["pm"]), "generateBills")
    return item


async def counts(owner_engine, org) -> tuple:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT (SELECT count(*) FROM charge_items WHERE org_id = :o), (SELECT count(*) FROM charge_rates WHERE org_id = :o), "
            "(SELECT count(*) FROM charge_overrides WHERE org_id = :o), (SELECT count(*) FROM bill_runs WHERE org_id = :o), "
            "(SELECT count(*) || ':' || sum(paid_fen) || ':' || sum(waived_fen) || ':' || string_agg(state, ',' ORDER BY id) "
            "   FROM bills WHERE org_id = :o), "
            "(SELECT count(*) || ':' || count(reversed_at) FROM payments WHERE org_id = :o)"), {"o": org.org_id})).one()


async def test_charge_items_runs_and_bills(gql, fees):
    pm = fees["pm"]
    created = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "wyf", "basis": "AREA", "k": "ci"}, token=pm), "createChargeItem")
    assert created["errors"] == [] and created["chargeItem"]["code"] == "WYF"
    assert (created["chargeItem"]["kindLabel"], created["chargeItem"]["basisLabel"]) == ("物业费", "按面积")
    item = created["chargeItem"]["id"]
    again = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "wyf", "basis": "AREA", "k": "ci"}, token=pm), "createChargeItem")
    assert again["chargeItem"]["id"] == item  # the key replayed
    dup = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "WYF", "basis": "AREA"}, token=pm), "createChargeItem")
    assert (dup["errors"][0]["code"], dup["errors"][0]["reason"]) == ("CONFLICT", "CHARGE_ITEM_EXISTS")
    assert data(await gql(UPDATE_ITEM, {"i": item}, token=pm), "updateChargeItem")["chargeItem"] == {"name": "物业服务费"}
    rate = data(await gql(SET_RATE, {"i": item, "r": 18750}, token=pm), "setChargeRate")
    assert rate["chargeItem"]["rates"] == [{"effectiveFrom": "2025-01-01", "rate": 18750, "rateYuan": "1.8750"}]
    fixed = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "LJF", "basis": "FIXED"}, token=pm), "createChargeItem")
    sub_fen = data(await gql(SET_RATE, {"i": fixed["chargeItem"]["id"], "r": 18750}, token=pm), "setChargeRate")
    assert sub_fen["errors"][0]["code"] == "VALIDATION"  # a per-flat amount is whole fen
    data(await gql(OVERRIDE, {"i": item, "u": fees["flats"][2]}, token=pm), "setChargeOverride")

    dry = data(await gql(GENERATE, {"p": fees["p1"], "i": item, "dry": True}, token=pm), "generateBills")["billRun"]
    run = data(await gql(GENERATE, {"p": fees["p1"], "i": item, "dry": False, "k": "g"}, token=pm), "generateBills")["billRun"]
    # 100 m² × 1.875 = 187.50 元, 80 m² = 150.00 元, twelve months each.
    assert (dry["created"], dry["total"], dry["dryRun"]) == (24, 12 * 33750, True)
    assert (run["created"], run["total"], run["totalYuan"], run["skipped"]) == (24, 405000, "4050.00", [])
    rerun = data(await gql(GENERATE, {"p": fees["p1"], "i": item, "dry": False}, token=pm), "generateBills")["billRun"]
    assert rerun["created"] == 0
    assert data(await gql(RUNS, {"p": fees["p1"]}, token=fees["disp"]), "billRuns")[-1] == {"dryRun": True, "created": 24}
    assert data(await gql(ITEMS, {"p": fees["p1"]}, token=fees["disp"]), "chargeItems")[1] == {"code": "WYF", "rates": [{"rate": 18750}]}

    page = data(await gql(BILLS, {"p": fees["p1"], "u": fees["flats"][0]}, token=fees["disp"]), "bills")
    assert page["totalCount"] == 12
    first = page["edges"][0]["node"]
    assert (first["period"], first["amount"], first["overdue"], first["stateLabel"]) == ("2025-12-01", 18750, True, "未缴")
    assert first["chargeItem"] == {"code": "WYF"} and first["unit"]["label"].endswith("101")
    assert (await gql(NODE, {"id": first["id"]}, token=fees["disp"]))["data"]["node"]["amount"] == 18750

    other = data(await gql(CREATE_ITEM, {"p": fees["p1"], "code": "ZXYJ", "basis": "ONE_OFF"}, token=pm), "createChargeItem")
    one = data(await gql(ONE_OFF, {"i": other["chargeItem"]["id"], "u": fees["flats"][2]}, token=pm), "chargeOneOff")
    assert [(b["amount"], b["yuan"]) for b in one["bills"]] == [(5000, "50.00")]
    twice = data(await gql(ONE_OFF, {"i": other["chargeItem"]["id"], "u": fees["flats"][2]}, token=pm), "chargeOneOff")
    assert twice["bills"] == []  # once per flat, item and month


async def test_payments_waivers_and_the_arrears_list(gql, fees):
    await billed(gql, fees)
    at = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    flat = fees["flats"][0]  # owes 12 × 20,000
    paid = data(await gql(PAY, {"u": flat, "a": 50000, "at": at, "k": "p1"}, token=fees["agent"]), "recordPayment")
    payment = paid["payment"]
    assert paid["errors"] == [] and payment["receiptNo"].startswith("SJ-P1-") and payment["yuan"] == "500.00"
    assert [(a["amount"], a["bill"]["period"]) for a in payment["allocations"]] == [
        (20000, "2025-01-01"), (20000, "2025-02-01"), (10000, "2025-03-01")]
    replay = data(await gql(PAY, {"u": flat, "a": 50000, "at": at, "k": "p1"}, token=fees["agent"]), "recordPayment")
    assert replay["payment"]["id"] == payment["id"]

    account = data(await gql(ACCOUNT, {"u": flat}, token=fees["disp"]), "unitAccount")
    assert (account["outstanding"], account["overdue"], account["credit"], account["openBills"]) == (190000, 190000, 0, 10)
    assert account["oldestDueOn"] == "2025-03-15" and account["payments"] == [{"receiptNo": payment["receiptNo"]}]
    assert (await gql(NODE, {"id": payment["id"]}, token=fees["disp"]))["data"]["node"]["receiptNo"] == payment["receiptNo"]
    listed = data(await gql(PAYMENTS, {"p": fees["p1"], "u": flat}, token=fees["disp"]), "payments")
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["receiptNo"] == payment["receiptNo"]

    # Most overdue first, one flat a page; every bill of 2025 is more than 181 days late by now.
    arrears = data(await gql(ARREARS, {"p": fees["p1"], "order": "AMOUNT"}, token=fees["disp"]), "arrears")
    assert arrears["totals"]["flats"] == 2 and arrears["totals"]["overdue"] == 190000 + 12 * 16000
    assert sum(arrears["totals"]["ageing"].values()) == arrears["totals"]["overdue"]
    top = arrears["edges"][0]["node"]
    assert (top["overdue"], arrears["pageInfo"]["hasNextPage"]) == (192000, True)
    after = data(await gql(ARREARS, {"p": fees["p1"], "order": "AMOUNT", "after": arrears["edges"][0]["cursor"]},
                           token=fees["disp"]), "arrears")
    assert after["edges"][0]["node"]["overdue"] == 190000 and after["pageInfo"]["hasNextPage"] is False
    oldest = data(await gql(ARREARS, {"p": fees["p1"], "order": "AGE"}, token=fees["disp"]), "arrears")
    assert oldest["edges"][0]["node"]["oldestDueOn"] == "2025-01-15"

    bills = data(await gql(BILLS, {"p": fees["p1"], "u": flat}, token=fees["disp"]), "bills")["edges"]
    waived = data(await gql(WAIVE, {"b": bills[0]["node"]["id"]}, token=fees["pm"]), "waiveBill")
    assert waived["bill"] == {"waived": 100, "stateLabel": "未缴"}
    assert data(await gql(CANCEL, {"b": bills[1]["node"]["id"]}, token=fees["pm"]), "cancelBill")["bill"] == {"state": "CANCELLED"}
    refused = data(await gql(CANCEL, {"b": bills[1]["node"]["id"]}, token=fees["pm"]), "cancelBill")
    assert (refused["errors"][0]["code"], refused["errors"][0]["reason"]) == ("INVALID_STATE", "BILL_NOT_OPEN")
    reversed_ = data(await gql(REVERSE, {"id": payment["id"]}, token=fees["pm"]), "reversePayment")
    assert reversed_["payment"]["reversedAt"] is not None and reversed_["payment"]["allocations"] == []
    again = data(await gql(REVERSE, {"id": payment["id"]}, token=fees["pm"]), "reversePayment")
    assert again["errors"][0]["reason"] == "PAYMENT_REVERSED"


async def test_money_input_is_checked(gql, fees):
    at = datetime.now(UTC).isoformat()
    for amount in (1.5, "12.34", True, 2**60):
        body = await gql(PAY, {"u": fees["flats"][0], "a": amount, "at": at}, token=fees["agent"])
        assert body["errors"][0]["extensions"]["code"] not in ("INTERNAL", None), body
    zero = data(await gql(PAY, {"u": fees["flats"][0], "a": 0, "at": at}, token=fees["agent"]), "recordPayment")
    assert (zero["errors"][0]["code"], zero["errors"][0]["field"]) == ("VALIDATION", "amountFen")


async def test_other_companies_and_projects_find_nothing_and_change_nothing(gql, fees, owner_engine, org):
    item = await billed(gql, fees)
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    payment = data(await gql(PAY, {"u": fees["flats"][0], "a": 1000, "at": at}, token=fees["pm"]), "recordPayment")["payment"]["id"]
    bill = data(await gql(BILLS, {"p": fees["p1"], "u": fees["flats"][1]}, token=fees["pm"]), "bills")["edges"][0]["node"]["id"]
    before = await counts(owner_engine, org)
    mutations = (
        (CREATE_ITEM, {"p": fees["p1"], "code": "X1", "basis": "AREA"}, "createChargeItem"),
        (UPDATE_ITEM, {"i": item}, "updateChargeItem"),
        (SET_RATE, {"i": item, "r": 30000}, "setChargeRate"),
        (OVERRIDE, {"i": item, "u": fees["flats"][0]}, "setChargeOverride"),
        (GENERATE, {"p": fees["p1"], "i": item, "dry": False}, "generateBills"),
        (ONE_OFF, {"i": item, "u": fees["flats"][0]}, "chargeOneOff"),
        (PAY, {"u": fees["flats"][1], "a": 100, "at": at}, "recordPayment"),
        (REVERSE, {"id": payment}, "reversePayment"),
        (WAIVE, {"b": bill}, "waiveBill"),
        (CANCEL, {"b": bill}, "cancelBill"),
    )
    for caller in ("stranger", "pm2"):
        for doc, variables, field in mutations:
            body = data(await gql(doc, variables, token=fees[caller]), field)
            assert body["errors"][0]["code"] == "NOT_FOUND", (caller, field, body)
    for doc, variables, field in mutations:  # a dispatcher of P1 reads fees but changes none
        body = await gql(doc, variables, token=fees["disp"])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (field, body)
    assert await counts(owner_engine, org) == before

    for caller in ("stranger", "pm2"):
        for doc, variables in ((ITEMS, {"p": fees["p1"]}), (RUNS, {"p": fees["p1"]}), (BILLS, {"p": fees["p1"], "u": None}),
                               (ACCOUNT, {"u": fees["flats"][0]}), (ARREARS, {"p": fees["p1"], "order": "AMOUNT"}),
                               (PAYMENTS, {"p": fees["p1"], "u": None})):
            body = await gql(doc, variables, token=fees[caller])
            assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", (caller, doc, body)
        for node in (payment, bill, item):
            assert (await gql(NODE, {"id": node}, token=fees[caller]))["data"]["node"] is None


async def test_a_page_of_bills_and_of_arrears_costs_the_same_statements_at_any_size(gql, fees, platform, owner_engine, org):
    from tests.api.conftest import statements_of

    await billed(gql, fees)
    await add_flats(owner_engine, org, "P1", [90.0] * 6)  # more flats, more bills on the page
    p1 = fees["p1"]
    bills = '{ bills(projectId: "%s", first: %d) { edges { node { amount unit { label } chargeItem { name } } } } }'
    arrears = '{ arrears(projectId: "%s", first: %d) { edges { node { label unit { label } } } } }'
    small = [await statements_of(platform, org, bills % (p1, 2)), await statements_of(platform, org, arrears % (p1, 1))]
    async with owner_engine.begin() as conn:  # bill the new flats too
        await conn.execute(text("INSERT INTO bills (org_id, project_id, unit_id, charge_item_id, period, period_end, due_on, "
                                "amount_fen, source) SELECT u.org_id, u.project_id, u.id, i.id, '2025-01-01', '2025-01-31', "
                                "'2025-01-15', 100, 'run' FROM units u JOIN charge_items i ON i.org_id = u.org_id "
                                "WHERE u.org_id = :o AND u.area_m2 = 90 ON CONFLICT DO NOTHING"), {"o": org.org_id})
    large = [await statements_of(platform, org, bills % (p1, 20)), await statements_of(platform, org, arrears % (p1, 8))]
    assert large == small


async def test_a_payment_prints_as_a_receipt_for_its_project_only(gql, fees, owner_engine, org):
    await billed(gql, fees)
    await add_user(owner_engine, org, "tech1", "technician", "P1")
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    paid = data(await gql(PAY.replace("receiptNo", "receiptNo printPath"), {"u": fees["flats"][1], "a": 200050, "at": at},
                          token=fees["agent"]), "recordPayment")["payment"]

    async def get(token: str | None):
        return await gql.client.get(paid["printPath"], headers={"authorization": f"Bearer {token}"} if token else {})

    page = await get(fees["disp"])
    assert page.status_code == 200 and page.headers["content-security-policy"].startswith("default-src 'none'")
    html = page.text
    assert paid["receiptNo"] in html and "贰仟元伍角" in html and "¥2000.50" in html and "102" in html
    assert "物业费" in html and "2025年12月" in html and "80.50" in html  # 12 × 160.00 paid, 80.50 kept as credit
    assert (await get(None)).status_code == 401
    assert (await get(await gql.login(org, "tech1"))).status_code == 403  # no fee:read anywhere
    for caller in ("stranger", "pm2"):
        assert (await get(fees[caller])).status_code == 404
