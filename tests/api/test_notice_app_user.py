"""使用App on a notice's unread list and its export (docs/resident-services.md §5.4): a flat is marked when
someone living there now signed in to the owner app within 180 days. Another company's signed-in
resident marks nothing of ours, and its admin reads neither our list nor our export."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from sqlalchemy import text

from tests.api import test_notice_api
from tests.api.test_notice_api import APPROVE, DRAFT, SUBMIT, body, general
from tests.conftest import add_unit

desk = test_notice_api.desk  # the same users and tokens as the notice API's tests

LIST = """query($n: ID!) { node(id: $n) { ... on Notice {
  unreadUnits(first: 10) { totalCount edges { node { number appUser } } } } } }"""
UNIT = "query($u: ID!) { node(id: $u) { ... on Unit { number appUser } } }"


async def _resident(conn, org, project, unit, name, *, seen_days_ago=None, moved_out=False, value=b"\x01"):
    ids = {"o": org.org_id, "p": org.projects[project], "u": unit, "n": name}
    rid = (await conn.execute(text("INSERT INTO residents (org_id, project_id, name) VALUES (:o, :p, :n) RETURNING id"), ids)).scalar_one()
    await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, moved_in_on, moved_out_on) "
                            "VALUES (:o, :p, :u, :r, 'owner', current_date - 400, CASE WHEN :out THEN current_date END)"),
                       ids | {"r": rid, "out": moved_out})
    if seen_days_ago is not None:
        ago = timedelta(days=seen_days_ago)
        await conn.execute(text("INSERT INTO resident_identities (org_id, project_id, resident_id, kind, app_id, value_hash, bound_by, "
                                "bound_at, last_seen_at) VALUES (:o, :p, :r, 'wechat_openid', 'wx1', :h, gen_random_uuid(), "
                                "now() - CAST(:ago AS interval), now() - CAST(:ago AS interval))"),
                           ids | {"r": rid, "h": value + rid.bytes, "ago": ago})


async def _published(gql, desk, owner_engine, org, platform):
    from workers.handlers import handle_event
    from workers.relay import to_message

    nid = body(await gql(DRAFT, {"p": desk["p1"], "i": general()}, token=desk["agent1"]), "draftNotice")["notice"]["id"]
    body(await gql(SUBMIT, {"n": nid}, token=desk["agent1"]), "submitNotice")
    body(await gql(APPROVE, {"n": nid}, token=desk["sup1"]), "approveNotice")
    async with owner_engine.begin() as conn:
        row = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'notice.published'"), {"o": org.org_id})).one()
    await handle_event(platform, to_message(row).args[0])
    return nid


async def test_app_users_are_marked_on_the_unread_list_and_its_export(gql, client, desk, owner_engine, org, other_org, platform):
    units = {n: (await add_unit(owner_engine, org, "P1", n))[0] for n in ("101", "102", "103", "104")}
    theirs, _ = await add_unit(owner_engine, other_org, "P1", "105")
    async with owner_engine.begin() as conn:
        await _resident(conn, org, "P1", units["101"], "甲", seen_days_ago=10)       # signed in lately
        await _resident(conn, org, "P1", units["101"], "甲家属")                      # a family member who never did
        await _resident(conn, org, "P1", units["102"], "乙", seen_days_ago=200)      # too long ago
        await _resident(conn, org, "P1", units["103"], "丙", seen_days_ago=1, moved_out=True)  # lives elsewhere now
        # Another company's resident signed in today: nothing of ours is marked.
        await _resident(conn, other_org, "P1", theirs, "丁", seen_days_ago=0)
    nid = await _published(gql, desk, owner_engine, org, platform)

    page = body(await gql(LIST, {"n": nid}, token=desk["sup1"]), "node")["unreadUnits"]
    assert page["totalCount"] == 4
    assert {e["node"]["number"]: e["node"]["appUser"] for e in page["edges"]} == {"101": True, "102": False, "103": False, "104": False}
    # Outside the unread list the marker says nothing.
    from api.graphql.types.node import to_global_id
    assert body(await gql(UNIT, {"u": to_global_id("Unit", units["101"])}, token=desk["sup1"]), "node") == {
        "number": "101", "appUser": None}

    r = await client.get(f"/export/notices/{nid}/unread.xlsx", headers={"authorization": f"Bearer {desk['sup1']}"})
    assert r.status_code == 200, r.text
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[2]][5] == "是否使用App Uses the app"
    assert sorted((row[2], row[5]) for row in sheet.iter_rows(min_row=3, values_only=True)) == [
        ("101", "是"), ("102", "否"), ("103", "否"), ("104", "否")]

    # Another company's admin: no notice, no list, no export.
    assert body(await gql(LIST, {"n": nid}, token=desk["stranger"]), "node") is None
    r = await client.get(f"/export/notices/{nid}/unread.xlsx", headers={"authorization": f"Bearer {desk['stranger']}"})
    assert r.status_code == 404
