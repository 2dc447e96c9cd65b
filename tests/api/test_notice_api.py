"""通知公告 through the API (docs/resident-services.md §5, §8, §9.2): each staff mutation and the
`notices` query with their payloads and codes; permissions per role; another company's and another
project's ids NOT_FOUND alike and nothing changed. Through the real app, as the application role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import add_unit, add_user

FIELDS = "notice { id title state kind audience approver returnedNote publishAt unitIds buildingIds } errors { code reason field message }"
DRAFT = f"""mutation($p: ID!, $i: NoticeInput!, $k: String) {{ draftNotice(projectId: $p, input: $i, idempotencyKey: $k)
  {{ {FIELDS} }} }}"""
UPDATE = f"mutation($n: ID!, $i: NoticeInput!) {{ updateNotice(noticeId: $n, input: $i) {{ {FIELDS} }} }}"
SUBMIT = f"mutation($n: ID!) {{ submitNotice(noticeId: $n) {{ {FIELDS} }} }}"
APPROVE = f"mutation($n: ID!) {{ approveNotice(noticeId: $n) {{ {FIELDS} }} }}"
RETURN = f"mutation($n: ID!, $why: String!) {{ returnNotice(noticeId: $n, note: $why) {{ {FIELDS} }} }}"
WITHDRAW = f"mutation($n: ID!, $why: String!) {{ withdrawNotice(noticeId: $n, reason: $why) {{ {FIELDS} }} }}"
LIST = """query($p: ID!, $s: NoticeState) { notices(projectId: $p, state: $s, first: 10)
  { totalCount edges { node { id title state } } } }"""
NODE = 'query($n: ID!) { node(id: $n) { ... on Notice { id title state } } }'


def general(**kw):
    return {"title": "电梯年检", "body": "本周五 2 号楼电梯年检，暂停使用半天。", "kind": "GENERAL", "audience": "PROJECT"} | kw


@pytest.fixture
async def desk(gql, owner_engine, org, other_org):
    for name, role, project in (("pm1", "project_manager", "P1"), ("agent1", "cs_agent", "P1"), ("sup1", "cs_supervisor", "P1"),
                                ("tech1", "technician", "P1"), ("pm2", "project_manager", "P2")):
        await add_user(owner_engine, org, name, role, project)
    return {n: await gql.login(org, n) for n in ("pm1", "agent1", "sup1", "tech1", "pm2")} | {
        "stranger": await gql.login(other_org), "p1": to_global_id("Project", org.projects["P1"]),
        "p2": to_global_id("Project", org.projects["P2"])}


def body(reply, name):
    assert "errors" not in reply, reply
    return reply["data"][name]


async def test_draft_submit_return_approve_and_withdraw(gql, desk, owner_engine, org):
    unit, building = await add_unit(owner_engine, org, "P1", "1502")
    u, b = to_global_id("Unit", unit), to_global_id("Building", building)
    d = body(await gql(DRAFT, {"p": desk["p1"], "i": general(audience="UNITS", unitIds=[u, u]), "k": "d1"}, token=desk["agent1"]),
             "draftNotice")
    assert d["errors"] == [] and d["notice"]["state"] == "DRAFT" and d["notice"]["unitIds"] == [u]
    nid = d["notice"]["id"]
    again = body(await gql(DRAFT, {"p": desk["p1"], "i": general(audience="UNITS", unitIds=[u, u]), "k": "d1"},
                           token=desk["agent1"]), "draftNotice")
    assert again["notice"]["id"] == nid  # the same key: the same draft
    up = body(await gql(UPDATE, {"n": nid, "i": general(audience="BUILDINGS", buildingIds=[b], title="电梯年检（改）")},
                        token=desk["agent1"]), "updateNotice")
    assert (up["notice"]["title"], up["notice"]["buildingIds"], up["notice"]["unitIds"]) == ("电梯年检（改）", [b], [])

    # A technician reads published notices only; drafts are the drafters' and approvers'.
    assert body(await gql(LIST, {"p": desk["p1"]}, token=desk["tech1"]), "notices")["totalCount"] == 0
    assert body(await gql(NODE, {"n": nid}, token=desk["tech1"]), "node") is None
    assert body(await gql(LIST, {"p": desk["p1"]}, token=desk["sup1"]), "notices")["totalCount"] == 1

    assert body(await gql(SUBMIT, {"n": nid}, token=desk["agent1"]), "submitNotice")["notice"]["state"] == "PENDING"
    late = body(await gql(UPDATE, {"n": nid, "i": general()}, token=desk["agent1"]), "updateNotice")["errors"][0]
    assert (late["code"], late["reason"]) == ("INVALID_STATE", "NOTICE_NOT_DRAFT")
    refused = await gql(APPROVE, {"n": nid}, token=desk["agent1"])  # a CS agent drafts but does not publish
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    back = body(await gql(RETURN, {"n": nid, "why": "请写明时间"}, token=desk["sup1"]), "returnNotice")["notice"]
    assert (back["state"], back["returnedNote"]) == ("DRAFT", "请写明时间")
    body(await gql(SUBMIT, {"n": nid}, token=desk["agent1"]), "submitNotice")
    ok = body(await gql(APPROVE, {"n": nid}, token=desk["sup1"]), "approveNotice")
    assert ok["errors"] == [] and ok["notice"]["state"] == "PUBLISHED" and ok["notice"]["approver"]
    listed = body(await gql(LIST, {"p": desk["p1"], "s": "PUBLISHED"}, token=desk["tech1"]), "notices")
    assert [e["node"]["id"] for e in listed["edges"]] == [nid]

    gone = body(await gql(WITHDRAW, {"n": nid, "why": "时间改了"}, token=desk["pm1"]), "withdrawNotice")
    assert gone["notice"]["state"] == "WITHDRAWN"
    twice = body(await gql(WITHDRAW, {"n": nid, "why": "again"}, token=desk["pm1"]), "withdrawNotice")["errors"][0]
    assert (twice["code"], twice["reason"]) == ("INVALID_STATE", "NOTICE_ALREADY_WITHDRAWN")
    async with owner_engine.connect() as conn:
        topics = [r.topic for r in await conn.execute(text("SELECT topic FROM outbox WHERE org_id = :o AND topic LIKE 'notice.%' "
                                                           "ORDER BY created_at"), {"o": org.org_id})]
        actions = [r.action for r in await conn.execute(text("SELECT action FROM audit_log WHERE org_id = :o AND entity = 'notice' "
                                                             "ORDER BY at, id"), {"o": org.org_id})]
    assert topics == ["notice.published", "notice.withdrawn"]
    assert actions[0] == "notice.drafted" and actions[-1] == "notice.withdrawn" and "notice.returned" in actions


async def test_four_eyes_except_for_an_emergency_and_schedules(gql, desk):
    own = body(await gql(DRAFT, {"p": desk["p1"], "i": general()}, token=desk["pm1"]), "draftNotice")["notice"]["id"]
    body(await gql(SUBMIT, {"n": own}, token=desk["pm1"]), "submitNotice")
    same = body(await gql(APPROVE, {"n": own}, token=desk["pm1"]), "approveNotice")["errors"][0]
    assert (same["code"], same["reason"]) == ("FORBIDDEN", "SAME_AUTHOR") and same["message"].startswith("不能审核")

    no_end = body(await gql(DRAFT, {"p": desk["p1"], "i": general(kind="EMERGENCY")}, token=desk["pm1"]), "draftNotice")
    assert [(e["code"], e["field"]) for e in no_end["errors"]] == [("VALIDATION", "expiresAt")]
    until = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    urgent = body(await gql(DRAFT, {"p": desk["p1"], "i": general(kind="OUTAGE", expiresAt=until)}, token=desk["pm1"]),
                  "draftNotice")["notice"]["id"]
    assert body(await gql(APPROVE, {"n": urgent}, token=desk["pm1"]), "approveNotice")["notice"]["state"] == "PUBLISHED"

    at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    later = body(await gql(DRAFT, {"p": desk["p1"], "i": general(publishAt=at)}, token=desk["agent1"]), "draftNotice")["notice"]["id"]
    body(await gql(SUBMIT, {"n": later}, token=desk["agent1"]), "submitNotice")
    assert body(await gql(APPROVE, {"n": later}, token=desk["pm1"]), "approveNotice")["notice"]["state"] == "SCHEDULED"
    assert body(await gql(WITHDRAW, {"n": later, "why": "取消"}, token=desk["sup1"]), "withdrawNotice")["notice"]["state"] == "WITHDRAWN"


async def test_another_company_and_another_project_find_nothing_and_change_nothing(gql, desk, owner_engine, org, other_org):
    nid = body(await gql(DRAFT, {"p": desk["p1"], "i": general()}, token=desk["agent1"]), "draftNotice")["notice"]["id"]
    body(await gql(SUBMIT, {"n": nid}, token=desk["agent1"]), "submitNotice")
    for who in ("stranger", "pm2"):  # another company's admin; P2's project manager, who holds notice:* on P2 only
        token = desk[who]
        for query, name, extra in ((APPROVE, "approveNotice", {}), (RETURN, "returnNotice", {"why": "x"}),
                                   (WITHDRAW, "withdrawNotice", {"why": "x"}), (SUBMIT, "submitNotice", {}),
                                   (UPDATE, "updateNotice", {"i": general()})):
            e = body(await gql(query, {"n": nid, **extra}, token=token), name)["errors"]
            assert [x["code"] for x in e] == ["NOT_FOUND"], (who, name, e)
        assert body(await gql(NODE, {"n": nid}, token=token), "node") is None
        listing = await gql(LIST, {"p": desk["p1"]}, token=token)
        assert listing["data"] is None and listing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        into = body(await gql(DRAFT, {"p": desk["p1"], "i": general()}, token=token), "draftNotice")["errors"]
        assert [x["code"] for x in into] == ["NOT_FOUND"]
    # Another project's or company's flats and channels are not found on a P1 notice.
    p2_unit, _ = await add_unit(owner_engine, org, "P2")
    their_unit, _ = await add_unit(owner_engine, other_org, "P1")
    for unit in (p2_unit, their_unit):
        e = body(await gql(DRAFT, {"p": desk["p1"], "i": general(audience="UNITS", unitIds=[to_global_id("Unit", unit)])},
                           token=desk["pm1"]), "draftNotice")["errors"]
        assert [(x["code"], x["field"]) for x in e] == [("NOT_FOUND", "unitIds")]
    async with owner_engine.connect() as conn:
        state = (await conn.execute(text("SELECT state, count(*) OVER () FROM notices WHERE org_id = :o"), {"o": org.org_id})).one()
        theirs = (await conn.execute(text("SELECT count(*) FROM notices WHERE org_id = :o"), {"o": other_org.org_id})).scalar_one()
    assert tuple(state) == ("pending", 1) and theirs == 0


UNREAD = """query($n: ID!, $b: ID) { node(id: $n) { ... on Notice { recipientCount readUnitCount
  unreadUnits(buildingId: $b, first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { number } } } } } }"""


async def test_who_has_not_read_it_and_its_export(gql, client, desk, owner_engine, org, platform):
    import io

    import openpyxl

    from workers.handlers import handle_event
    from workers.relay import to_message

    units = [await add_unit(owner_engine, org, "P1", n) for n in ("101", "102", "103")]
    async with owner_engine.begin() as conn:  # 101 has an owner, who has read it; 102 an owner who has not
        for unit, name, phone in ((units[0][0], "甲", "138****0001"), (units[1][0], "乙", "138****0002")):
            rid = (await conn.execute(text("INSERT INTO residents (org_id, project_id, name, phone_masked) VALUES (:o, :p, :n, :m) "
                                           "RETURNING id"), {"o": org.org_id, "p": org.projects["P1"], "n": name, "m": phone})).scalar_one()
            await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
                                    "VALUES (:o, :p, :u, :r, 'owner', true)"),
                               {"o": org.org_id, "p": org.projects["P1"], "u": unit, "r": rid})
            if name == "甲":
                first_reader = (unit, rid)
    nid = body(await gql(DRAFT, {"p": desk["p1"], "i": general()}, token=desk["agent1"]), "draftNotice")["notice"]["id"]
    body(await gql(SUBMIT, {"n": nid}, token=desk["agent1"]), "submitNotice")
    body(await gql(APPROVE, {"n": nid}, token=desk["sup1"]), "approveNotice")
    async with owner_engine.begin() as conn:
        row = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'notice.published'"), {"o": org.org_id})).one()
    await handle_event(platform, to_message(row).args[0])
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) "
                                "VALUES (:o, :p, :n, :u, :r)"), {"o": org.org_id, "p": org.projects["P1"], "n": row.payload["notice_id"],
                                                               "u": first_reader[0], "r": first_reader[1]})

    seen = body(await gql(UNREAD, {"n": nid}, token=desk["tech1"]), "node")
    assert (seen["recipientCount"], seen["readUnitCount"], seen["unreadUnits"]["totalCount"]) == (3, 1, 2)
    page = seen["unreadUnits"]
    nxt = body(await gql(UNREAD.replace("first: 1)", "first: 1, after: $a)").replace("$b: ID)", "$b: ID, $a: String)"),
                         {"n": nid, "a": page["pageInfo"]["endCursor"]}, token=desk["tech1"]), "node")["unreadUnits"]
    assert {page["edges"][0]["node"]["number"], nxt["edges"][0]["node"]["number"]} == {"102", "103"}
    only = body(await gql(UNREAD, {"n": nid, "b": to_global_id("Building", units[2][1])}, token=desk["tech1"]), "node")
    assert only["unreadUnits"]["totalCount"] == 1

    path = f"/export/notices/{nid}/unread.xlsx"
    r = await client.get(path, headers={"authorization": f"Bearer {desk['sup1']}"})
    assert r.status_code == 200, r.text
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=3)]
    assert sorted((x[2], x[3], x[4]) for x in rows) == [("102", "乙", "138****0002"), ("103", "", "")]
    for who, status in (("tech1", 403), ("stranger", 404), ("pm2", 404)):
        r = await client.get(path, headers={"authorization": f"Bearer {desk[who]}"})
        assert r.status_code == status, (who, r.text)
    async with owner_engine.connect() as conn:
        audits = (await conn.execute(text("SELECT count(*) FROM audit_log WHERE org_id = :o AND action = 'notice.unread_exported'"),
                                     {"o": org.org_id})).scalar_one()
    assert audits == 1


async def test_a_page_of_notices_costs_the_same_statements_for_2_or_12(platform, gql, desk, owner_engine, org):
    from tests.api.conftest import statements_of

    unit, building = await add_unit(owner_engine, org, "P1", "201")
    query = ("{ notices(projectId: \"%s\", first: 20) { edges { node { id buildingIds unitIds readUnitCount project { name } } } } }"
             % desk["p1"])
    costs = []
    for n in (2, 12):
        while True:
            have = body(await gql(LIST, {"p": desk["p1"]}, token=desk["pm1"]), "notices")["totalCount"]
            if have >= n:
                break
            aim = general(audience="UNITS", unitIds=[to_global_id("Unit", unit)]) if have % 2 else \
                general(audience="BUILDINGS", buildingIds=[to_global_id("Building", building)])
            body(await gql(DRAFT, {"p": desk["p1"], "i": aim}, token=desk["pm1"]), "draftNotice")
        costs.append(await statements_of(platform, org, query))
    assert costs[0] == costs[1], costs
