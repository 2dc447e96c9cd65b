"""费用 on the resident's side (docs/resident-services.md §6.9): through the API as the resident role, a
resident reads their flat's account, the bills of months that ended on or after they moved in and
the payments made since — not the months before (the previous occupant's), not a neighbour's flat,
their other project's or another company's. Another flat's `unitId` answers a null account and an
empty list, as another flat's case answers null. A page costs the same statements at any length."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api._resident import NEIGHBOUR_PHONE, Company, make_company, token_for

ITEM = """mutation($p: ID!) { createChargeItem(input: {projectId: $p, code: "WYF", name: "物业费", kind: PROPERTY, basis: FIXED,
  startsOn: "2026-01-01", dueDay: 15}) { chargeItem { id } errors { code } } }"""
RATE = """mutation($i: ID!) { setChargeRate(chargeItemId: $i, effectiveFrom: "2026-01-01", rate: 5000000) { errors { code } } }"""
GENERATE = """mutation($p: ID!, $i: ID!, $from: Date!, $to: Date!) { generateBills(input: {projectId: $p, fromMonth: $from,
  toMonth: $to, chargeItemIds: [$i], dryRun: false}) { billRun { created } errors { code } } }"""
PAY = """mutation($u: ID!, $a: Fen!, $at: DateTime!) { recordPayment(input: {unitId: $u, amount: $a, method: WECHAT, paidAt: $at})
  { payment { id } errors { code } } }"""
STAFF_BILLS = "query($p: ID!) { bills(projectId: $p, first: 100) { edges { node { id } } } }"
ACCOUNT = """query($u: ID!) { residentSelf { account(unitId: $u) { unit { id label } outstandingFen overdueFen creditFen
  outstandingYuan byItem { item { code name kind kindLabel } outstandingFen } } } }"""
BILLS = """query($u: ID, $s: BillState, $after: String) { residentSelf { bills(unitId: $u, state: $s, first: 1, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id period dueOn amount paid outstanding yuan state stateLabel overdue chargeItem { name } unit { id } } } } } }"""
ALL_BILLS = "{ residentSelf { bills { totalCount edges { node { id period unit { id } } } } } }"
PAYMENTS = """{ residentSelf { payments { totalCount edges { node { id amount yuan methodLabel receiptNo reversed unallocated
  unit { label } shares { billId period itemName amount } } } } } }"""
EMPTY = {"edges": [], "totalCount": 0}


async def _data(gql, query: str, variables: dict | None, token: str) -> dict:
    body = await gql(query, variables or {}, token=token)
    assert "errors" not in body, body
    return body["data"]


async def bill(gql, company: Company, project: str, months: tuple[str, str]) -> None:
    """WYF, 500.00 元 a flat a month, billed for the months given."""
    admin = await gql.login(company.org)
    p = to_global_id("Project", company.org.projects[project])
    item = await gql("query($p: ID!) { chargeItems(projectId: $p) { id } }", {"p": p}, token=admin)
    if item["data"]["chargeItems"]:
        item_id = item["data"]["chargeItems"][0]["id"]
    else:
        item_id = (await _data(gql, ITEM, {"p": p}, admin))["createChargeItem"]["chargeItem"]["id"]
        assert (await _data(gql, RATE, {"i": item_id}, admin))["setChargeRate"]["errors"] == []
    run = (await _data(gql, GENERATE, {"p": p, "i": item_id, "from": months[0], "to": months[1]}, admin))["generateBills"]
    assert run["errors"] == [] and run["billRun"]["created"] > 0


async def pay(gql, company: Company, unit: str, fen: int) -> str:
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    out = (await _data(gql, PAY, {"u": company.gid("Unit", unit), "a": fen, "at": at}, await gql.login(company.org)))["recordPayment"]
    assert out["errors"] == [], out
    return out["payment"]["id"]


@pytest.fixture
async def world(owner_engine, gql, platform):
    """Companies A and B alike, their P1 flats billed January–April 2026 and A's P2 too. In A, 张三
    moved into 301 on 15 March (the months before were the previous occupant's); a payment for 301
    dated 10 February paid January, today's paid February and part of March; 孙八 (302, since
    1 January) paid once. B's 301 paid once."""
    a = await make_company(owner_engine, gql, platform.cipher)
    b = await make_company(owner_engine, gql, platform.cipher)
    for company, project in ((a, "P1"), (a, "P2"), (b, "P1")):
        await bill(gql, company, project, ("2026-01-01", "2026-04-01"))
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE occupancies SET moved_in_on = '2026-03-15' WHERE resident_id = :r"),
                           {"r": a.residents["zhang"]})
    before = await pay(gql, a, "301", 50000)
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE payments SET paid_at = '2026-02-10T10:00:00+08:00' WHERE id = :p"),
                           {"p": from_global_id(before, "Payment")})
    payments = {"before": before, "mine": await pay(gql, a, "301", 80000), "neighbour": await pay(gql, a, "302", 50000),
                "other_company": await pay(gql, b, "301", 50000)}
    return {"a": a, "b": b, "payments": payments, "token": await token_for(gql, a)}


async def _bill_ids(gql, company: Company, project: str = "P1") -> set[str]:
    admin = await gql.login(company.org)
    rows = await _data(gql, STAFF_BILLS, {"p": to_global_id("Project", company.org.projects[project])}, admin)
    return {e["node"]["id"] for e in rows["bills"]["edges"]}


async def test_a_resident_reads_their_flats_account_bills_and_payments_since_they_moved_in(gql, world):
    a, token = world["a"], world["token"]
    account = (await _data(gql, ACCOUNT, {"u": a.gid("Unit", "301")}, token))["residentSelf"]["account"]
    # March (500.00 less the 300.00 paid today) and April: the previous occupant's months are not counted.
    assert (account["outstandingFen"], account["overdueFen"], account["creditFen"], account["outstandingYuan"]) == (
        70000, 70000, 0, "700.00")
    assert account["unit"]["id"] == a.gid("Unit", "301") and account["unit"]["label"].endswith("301")
    assert account["byItem"] == [{"item": {"code": "WYF", "name": "物业费", "kind": "PROPERTY", "kindLabel": "物业费"},
                                  "outstandingFen": 70000}]

    first = (await _data(gql, BILLS, {"u": a.gid("Unit", "301")}, token))["residentSelf"]["bills"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    april = first["edges"][0]["node"]
    assert (april["period"], april["dueOn"], april["amount"], april["outstanding"], april["yuan"], april["stateLabel"],
            april["overdue"], april["chargeItem"]["name"]) == ("2026-04-01", "2026-04-15", 50000, 50000, "500.00", "未缴", True, "物业费")
    second = (await _data(gql, BILLS, {"u": a.gid("Unit", "301"), "after": first["pageInfo"]["endCursor"]}, token))
    march = second["residentSelf"]["bills"]["edges"][0]["node"]
    assert (march["period"], march["paid"], march["outstanding"]) == ("2026-03-01", 30000, 20000)
    assert (await _data(gql, BILLS, {"s": "PAID"}, token))["residentSelf"]["bills"]["totalCount"] == 0

    paid = (await _data(gql, PAYMENTS, None, token))["residentSelf"]["payments"]
    assert paid["totalCount"] == 1
    only = paid["edges"][0]["node"]
    assert only["id"] == world["payments"]["mine"] and (only["amount"], only["yuan"], only["methodLabel"], only["reversed"]) == (
        80000, "800.00", "微信", False)
    # Its share of February's bill (the previous occupant's month) is not theirs to see.
    assert [(s["period"], s["itemName"], s["amount"]) for s in only["shares"]] == [("2026-03-01", "物业费", 30000)]


async def test_the_neighbour_sees_their_own_flat_from_their_move_in(gql, world):
    a = world["a"]
    neighbour = await token_for(gql, a, NEIGHBOUR_PHONE)
    bills = (await _data(gql, ALL_BILLS, None, neighbour))["residentSelf"]["bills"]
    assert bills["totalCount"] == 4 and {e["node"]["unit"]["id"] for e in bills["edges"]} == {a.gid("Unit", "302")}
    account = (await _data(gql, ACCOUNT, {"u": a.gid("Unit", "302")}, neighbour))["residentSelf"]["account"]
    assert (account["outstandingFen"], account["creditFen"]) == (150000, 0)
    paid = (await _data(gql, PAYMENTS, None, neighbour))["residentSelf"]["payments"]
    assert [e["node"]["id"] for e in paid["edges"]] == [world["payments"]["neighbour"]]


@pytest.mark.parametrize(("company", "unit"), [("a", "302"), ("a", "101"), ("b", "301")],
                         ids=["neighbours_flat", "other_project", "other_company"])
async def test_another_flats_account_is_null_and_its_bills_are_not_listed(gql, world, company, unit):
    token, gid = world["token"], world[company].gid("Unit", unit)
    assert (await _data(gql, ACCOUNT, {"u": gid}, token))["residentSelf"]["account"] is None
    bills = (await _data(gql, BILLS, {"u": gid}, token))["residentSelf"]["bills"]
    assert {"edges": bills["edges"], "totalCount": bills["totalCount"]} == EMPTY


async def test_only_their_own_bills_and_payments_are_listed(gql, world):
    a, b, token = world["a"], world["b"], world["token"]
    listed = (await _data(gql, ALL_BILLS, None, token))["residentSelf"]["bills"]
    mine = {e["node"]["id"] for e in listed["edges"]}
    assert len(mine) == 2 and {e["node"]["period"] for e in listed["edges"]} == {"2026-03-01", "2026-04-01"}
    everyone_a, everyone_b, p2 = await _bill_ids(gql, a), await _bill_ids(gql, b), await _bill_ids(gql, a, "P2")
    assert mine < everyone_a and not mine & (everyone_b | p2) and len(everyone_a) == 8
    paid = {e["node"]["id"] for e in (await _data(gql, PAYMENTS, None, token))["residentSelf"]["payments"]["edges"]}
    assert paid == {world["payments"]["mine"]}
    # B's 张三 (the same phone) sees B's flat only.
    theirs = (await _data(gql, ALL_BILLS, None, await token_for(gql, b)))["residentSelf"]["bills"]
    assert {e["node"]["id"] for e in theirs["edges"]} <= everyone_b and theirs["totalCount"] == 4


async def test_a_staff_token_is_no_resident(gql, world):
    body = await gql(ALL_BILLS, {}, token=await gql.login(world["a"].org))
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def _statements_as_resident(platform, company: Company, query: str) -> int:
    from api.context import Context
    from api.graphql.schema import schema
    from tenants.principal import Principal
    from tenants.roles import Permission

    resident = Principal("resident", company.residents["sun"], company.org.org_id,
                         key_projects=frozenset({company.org.projects["P1"]}),
                         key_permissions=frozenset({Permission.RESIDENT_SELF}))
    context = Context(platform=platform, request=None, principal=resident)
    try:
        result = await schema.execute(query, context_value=context)
    finally:
        await context.db.close()
    assert result.errors is None, result.errors
    return context.db.statements


async def test_a_page_of_bills_and_payments_costs_the_same_statements_at_any_length(gql, world, platform):
    a = world["a"]
    query = ("{ residentSelf { account(unitId: \"%s\") { byItem { item { name } } } bills(first: 50) { edges { node { period "
             "chargeItem { name } unit { label } } } } payments { edges { node { unit { label } shares { itemName } } } } } }"
             % a.gid("Unit", "302"))
    short = await _statements_as_resident(platform, a, query)
    await bill(gql, a, "P1", ("2026-05-01", "2026-10-01"))
    for _ in range(3):
        await pay(gql, a, "302", 40000)
    assert await _statements_as_resident(platform, a, query) == short
