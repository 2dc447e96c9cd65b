"""跳过的房屋 (docs/resident-services.md §6.2): `billRun(id) { skippedUnits(reason, first) }` lists the
flats and spaces a run could not bill — no area, no rate, a space without a flat — one row per flat
or space and item, with the months missed; a gap fixed since is no longer listed. Another
company's run, and a run of a project the caller cannot read, is null."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_user
from tests.integration.fees_setup import add_flats

ITEM = """mutation($p: ID!, $code: String!, $kind: ChargeKind!, $basis: ChargeBasis!) { createChargeItem(input: {projectId: $p,
  code: $code, name: $code, kind: $kind, basis: $basis, startsOn: "2025-01-01"}) { chargeItem { id } errors { code } } }"""
RATE = "mutation($i: ID!, $r: Rate1e4!) { setChargeRate(chargeItemId: $i, effectiveFrom: \"2025-01-01\", rate: $r) { errors { code } } }"
GENERATE = """mutation($p: ID!, $items: [ID!]!) { generateBills(input: {projectId: $p, fromMonth: "2025-01-01", toMonth: "2025-03-01",
  chargeItemIds: $items, dryRun: false}) { billRun { id created skipped { reason count } } errors { code } } }"""
SKIPPED = """query($id: ID!, $reason: SkipReason, $first: Int! = 100) { billRun(id: $id) { created
  skippedUnits(reason: $reason, first: $first) {
  reason reasonLabel chargeItemCode unitLabel spaceLabel months firstMonth lastMonth unit { id } } } }"""


def _data(body: dict) -> dict:
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
async def run(gql, owner_engine, org, other_org):
    """P1: flat 101 with its area, 102 and 103 without; parking space A-012 of no flat. Items WYF (by
    area, 2.00 元), CWF (per space, 300 元), LJF (per flat, no rate) billed January–March 2025."""
    flats = await add_flats(owner_engine, org, "P1", [100.0, None, None])
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO parking_spaces (org_id, project_id, area, number, tenure) "
                                "VALUES (:o, :p, '地下B1', 'A-012', 'owned')"), {"o": org.org_id, "p": org.projects["P1"]})
    admin = await gql.login(org)
    p1 = to_global_id("Project", org.projects["P1"])
    items = []
    for code, kind, basis, rate in (("WYF", "PROPERTY", "AREA", 20000), ("CWF", "PARKING", "SPACE", 3000000),
                                    ("LJF", "OTHER", "FIXED", None)):
        item = _data(await gql(ITEM, {"p": p1, "code": code, "kind": kind, "basis": basis}, token=admin))["createChargeItem"]
        items.append(item["chargeItem"]["id"])
        if rate:
            assert _data(await gql(RATE, {"i": items[-1], "r": rate}, token=admin))["setChargeRate"]["errors"] == []
    out = _data(await gql(GENERATE, {"p": p1, "items": items}, token=admin))["generateBills"]
    assert out["errors"] == [] and out["billRun"]["created"] == 3  # 101's property fee
    assert {s["reason"]: s["count"] for s in out["billRun"]["skipped"]} == {"NO_AREA": 6, "NO_RATE": 9, "NO_UNIT_FOR_SPACE": 3}
    await add_user(owner_engine, org, "pm2", "project_manager", "P2")
    return {"id": out["billRun"]["id"], "admin": admin, "flats": flats, "pm2": await gql.login(org, "pm2"),
            "stranger": await gql.login(other_org)}


async def test_skipped_units_are_listed_by_reason_and_flat(gql, run, owner_engine, org):
    listed = _data(await gql(SKIPPED, {"id": run["id"]}, token=run["admin"]))["billRun"]["skippedUnits"]
    assert [(r["reason"], r["chargeItemCode"], r["unitLabel"].split()[-1] if r["unitLabel"] else None, r["spaceLabel"])
            for r in listed] == [("NO_AREA", "WYF", "102", None), ("NO_AREA", "WYF", "103", None),
                                 ("NO_RATE", "LJF", "101", None), ("NO_RATE", "LJF", "102", None), ("NO_RATE", "LJF", "103", None),
                                 ("NO_UNIT_FOR_SPACE", "CWF", None, "地下B1 A-012")]
    assert all((r["months"], r["firstMonth"], r["lastMonth"]) == (3, "2025-01-01", "2025-03-01") for r in listed)
    assert listed[0]["reasonLabel"] == "无面积" and listed[-1]["reasonLabel"] == "车位未关联房屋"
    assert listed[0]["unit"]["id"] == to_global_id("Unit", run["flats"][1]) and listed[-1]["unit"] is None

    no_area = _data(await gql(SKIPPED, {"id": run["id"], "reason": "NO_AREA", "first": 1}, token=run["admin"]))
    assert [r["unitLabel"].split()[-1] for r in no_area["billRun"]["skippedUnits"]] == ["102"]
    # 102 gets its area: the list is of gaps still to fix.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE units SET area_m2 = 80 WHERE id = :u"), {"u": run["flats"][1]})
    fixed = _data(await gql(SKIPPED, {"id": run["id"], "reason": "NO_AREA"}, token=run["admin"]))["billRun"]["skippedUnits"]
    assert [r["unitLabel"].split()[-1] for r in fixed] == ["103"]

    bad = await gql(SKIPPED, {"id": run["id"], "first": 0}, token=run["admin"])
    assert bad["errors"][0]["extensions"]["code"] == "VALIDATION"


@pytest.mark.parametrize("who", ["stranger", "pm2"])
async def test_another_companys_or_projects_run_is_null(gql, run, who):
    assert _data(await gql(SKIPPED, {"id": run["id"]}, token=run[who]))["billRun"] is None
