"""Opening balances (期初欠费) through the archive's upload and import (docs/resident-services.md
§6.8): POST /uploads/archive?kind=fee_opening with fee:import, importArchive queues it, the
worker runs the fee import; who may, and another company's project, upload and import. Through
the real app, as the application role."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.archive_books import settle
from tests.conftest import add_user
from tests.integration.fees_setup import add_flats, add_item

IMPORT = """mutation($u: ID!, $d: Boolean, $k: String) { importArchive(uploadId: $u, dryRun: $d, idempotencyKey: $k) {
  import { id kind state } errors { code reason field message } } }"""
ONE = """query($id: ID!) { archiveImport(id: $id) { kind state problemCount counts { sheet created updated unchanged }
  problems { row column code } } }"""


def book(building: str, rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "期初欠费"
    ws.append(["楼栋名称*", "单元", "房号*", "收费项目*", "所属期间*", "金额(元)*"])
    for row in rows:
        ws.append([building, None, *row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def upload(client, token: str, project: str, body: bytes, kind: str | None = "fee_opening"):
    params = {"project": project, "name": "期初.xlsx"} | ({"kind": kind} if kind else {})
    return await client.post("/uploads/archive", params=params, content=body, headers={"authorization": f"Bearer {token}"})


@pytest.fixture
async def desk(gql, owner_engine, org, other_org, platform):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "sup1", "cs_supervisor", "P1")  # archive:import, not fee:import
    flats = await add_flats(owner_engine, org, "P1", [80.0, 90.0])
    await add_item(platform, org)
    async with owner_engine.connect() as conn:
        building = (await conn.execute(text("SELECT b.name FROM units u JOIN buildings b ON b.org_id = u.org_id "
                                            "AND b.id = u.building_id WHERE u.id = :u"), {"u": flats[0]})).scalar_one()
    return {"pm": await gql.login(org, "pm1"), "sup": await gql.login(org, "sup1"), "stranger": await gql.login(other_org),
            "p1": to_global_id("Project", org.projects["P1"]), "p2": to_global_id("Project", org.projects["P2"]),
            "building": building}


async def bills(owner_engine, *orgs) -> list[tuple]:
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT u.number, b.amount_fen, b.source FROM bills b JOIN units u ON u.org_id = b.org_id AND u.id = b.unit_id "
            "WHERE b.org_id = ANY(:o) ORDER BY 1"), {"o": [o.org_id for o in orgs]})]


async def test_upload_dry_run_report_fix_and_apply(client, gql, desk, owner_engine, org, platform, stub_worker):
    bad = await upload(client, desk["pm"], desk["p1"], book(desk["building"], [["101", "WYF", "2026-01", 12.345]]))
    assert bad.status_code == 201 and bad.json()["kind"] == "fee_opening"
    job = (await gql(IMPORT, {"u": bad.json()["uploadId"], "k": "d1"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    assert job["kind"] == "fee_opening"
    await settle(platform, stub_worker)
    report = (await gql(ONE, {"id": job["id"]}, token=desk["pm"]))["data"]["archiveImport"]
    assert report["state"] == "REJECTED" and report["problems"] == [{"row": 2, "column": "F 金额(元)", "code": "BAD_AMOUNT"}]

    good = (await upload(client, desk["pm"], desk["p1"], book(desk["building"], [["101", "WYF", "2026-01", 12.34],
                                                                                   ["102", "WYF", "2026年1月", "99"]]))).json()
    dry = (await gql(IMPORT, {"u": good["uploadId"], "k": "d2"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    await settle(platform, stub_worker)
    checked = (await gql(ONE, {"id": dry["id"]}, token=desk["pm"]))["data"]["archiveImport"]
    assert checked["state"] == "SUCCEEDED" and checked["counts"] == [
        {"sheet": "期初欠费", "created": 2, "updated": 0, "unchanged": 0}]
    assert await bills(owner_engine, org) == []
    real = (await gql(IMPORT, {"u": good["uploadId"], "d": False, "k": "a1"}, token=desk["pm"]))["data"]["importArchive"]
    await settle(platform, stub_worker)
    assert (await gql(ONE, {"id": real["import"]["id"]}, token=desk["pm"]))["data"]["archiveImport"]["state"] == "SUCCEEDED"
    assert await bills(owner_engine, org) == [("101", 1234, "opening"), ("102", 9900, "opening")]


async def test_who_may_upload_and_import_opening_balances(client, gql, desk, owner_engine, org, other_org):
    body = book(desk["building"], [["101", "WYF", "2026-01", 10]])
    # An archive importer without fee:import: refused before the project is looked at.
    refused = await upload(client, desk["sup"], desk["p1"], body)
    assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Another company's project, and one out of a project manager's reach: one answer.
    for token, project in ((desk["stranger"], desk["p1"]), (desk["pm"], desk["p2"])):
        r = await upload(client, token, project, body)
        assert r.status_code == 404 and r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND", r.text
    unknown = await upload(client, desk["pm"], desk["p1"], body, kind="payments")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["extensions"]["code"] == "VALIDATION"

    stored = (await upload(client, desk["pm"], desk["p1"], body)).json()["uploadId"]
    # The supervisor may import archives, not this upload; another company does not find it.
    sup = (await gql(IMPORT, {"u": stored}, token=desk["sup"]))["data"]["importArchive"]
    assert sup["import"] is None and sup["errors"][0]["code"] == "FORBIDDEN"
    theirs = (await gql(IMPORT, {"u": stored}, token=desk["stranger"]))
    assert theirs["data"]["importArchive"]["errors"][0]["code"] == "NOT_FOUND"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM archive_imports WHERE org_id = ANY(:o)"),
                                   {"o": [org.org_id, other_org.org_id]})).scalar_one() == 0
        kinds = (await conn.execute(text("SELECT kind FROM archive_uploads WHERE org_id = :o"), {"o": org.org_id})).scalars().all()
    assert kinds == ["fee_opening"] and await bills(owner_engine, org, other_org) == []
