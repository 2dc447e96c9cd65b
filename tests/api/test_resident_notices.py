"""通知公告 on the resident's side (docs/resident-services.md §5.3–5.4): a resident reads the published,
unexpired notices of their project and of their own flat — not a neighbour's, another project's,
a withdrawn or an expired one — and marks them read once; another flat's, project's or company's
notice is NOT_FOUND and nothing is written. Staff see the receipt in readUnitCount."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._resident import make_company, token_for
from tests.conftest import make_org
from workers.handlers import handle_event
from workers.relay import to_message

DRAFT = "mutation($p: ID!, $i: NoticeInput!) { draftNotice(projectId: $p, input: $i) { notice { id } errors { code } } }"
APPROVE = "mutation($n: ID!) { approveNotice(noticeId: $n) { notice { state } errors { code } } }"
WITHDRAW = 'mutation($n: ID!) { withdrawNotice(noticeId: $n, reason: "发错") { errors { code } } }'
MINE = "{ residentSelf { notices { id title kind urgent read } } }"
MARK = "mutation($n: ID!, $k: String) { residentMarkNoticeRead(noticeId: $n, idempotencyKey: $k) { ok errors { code field } } }"
COUNT = "query($n: ID!) { node(id: $n) { ... on Notice { readUnitCount } } }"


@pytest.fixture
async def company(owner_engine, gql, platform):
    return await make_company(owner_engine, gql, platform.cipher)


async def publish(gql, token, project_gid: str, title: str, **kw) -> str:
    """An outage notice (its author may approve it alone), published."""
    i = {"title": title, "body": f"{title}。", "kind": "OUTAGE", "audience": "PROJECT", "expiresAt": "2099-01-01T00:00:00+08:00"} | kw
    nid = (await gql(DRAFT, {"p": project_gid, "i": i}, token=token))["data"]["draftNotice"]["notice"]["id"]
    assert (await gql(APPROVE, {"n": nid}, token=token))["data"]["approveNotice"]["notice"]["state"] == "PUBLISHED"
    return nid


async def fan_out(platform, owner_engine, org) -> None:
    async with owner_engine.connect() as conn:
        rows = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'notice.published'"), {"o": org.org_id})).all()
    for row in rows:
        await handle_event(platform, to_message(row).args[0])


async def test_a_resident_reads_their_notices_and_marks_them_read(gql, company, owner_engine, platform):
    org = company.org
    admin = await gql.login(org)
    p1, p2 = (to_global_id("Project", org.projects[p]) for p in ("P1", "P2"))
    whole = await publish(gql, admin, p1, "全小区停水")
    mine = await publish(gql, admin, p1, "301 检修", audience="UNITS", unitIds=[company.gid("Unit", "301")])
    neighbour = await publish(gql, admin, p1, "302 检修", audience="UNITS", unitIds=[company.gid("Unit", "302")])
    other_project = await publish(gql, admin, p2, "二期停电")
    withdrawn = await publish(gql, admin, p1, "撤回的")
    await gql(WITHDRAW, {"n": withdrawn}, token=admin)
    expired = await publish(gql, admin, p1, "过期的")
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE notices SET expires_at = now() - interval '1 minute' WHERE title = '过期的' AND org_id = :o"),
                           {"o": org.org_id})
    await fan_out(platform, owner_engine, org)
    stranger = await make_org(owner_engine)
    theirs = await publish(gql, await gql.login(stranger), to_global_id("Project", stranger.projects["P1"]), "别家的")
    await fan_out(platform, owner_engine, stranger)

    zhang = await token_for(gql, company)
    seen = (await gql(MINE, token=zhang))["data"]["residentSelf"]["notices"]
    assert {n["id"] for n in seen} == {whole, mine}
    assert all(n["urgent"] and n["kind"] == "OUTAGE" and n["read"] is False for n in seen)

    for refused in (neighbour, other_project, withdrawn, expired, theirs):
        body = (await gql(MARK, {"n": refused}, token=zhang))["data"]["residentMarkNoticeRead"]
        assert [(e["code"], e["field"]) for e in body["errors"]] == [("NOT_FOUND", "noticeId")], refused
    for key in ("m1", "m1", None):  # the same key again, and again without one: nothing more
        assert (await gql(MARK, {"n": mine, "k": key}, token=zhang))["data"]["residentMarkNoticeRead"] == {"ok": True, "errors": []}
    assert {n["id"]: n["read"] for n in (await gql(MINE, token=zhang))["data"]["residentSelf"]["notices"]} == {whole: False, mine: True}
    assert (await gql(COUNT, {"n": mine}, token=admin))["data"]["node"]["readUnitCount"] == 1
    async with owner_engine.connect() as conn:
        reads = (await conn.execute(text("SELECT count(*) FROM notice_reads WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert reads == 1

    staff = await gql(MARK, {"n": mine}, token=admin)  # a staff token is no resident
    assert staff["data"] is None and staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
