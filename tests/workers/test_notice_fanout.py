"""A notice's fan-out through the real outbox, relay and workers (docs/resident-services.md §5.2–5.3):
approving a notice to 10,000 flats fixes them, a messaging bridge hears them in 20 signed batches of
500 (ids only), the
WeCom robot hears the notice once, a channel not chosen hears nothing, a redelivered event changes
nothing; a notice withdrawn before its messages went out sends only the word of its withdrawal."""

from __future__ import annotations

import asyncio
import json
import uuid

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.notifications.signing import verify_webhook
from tests.conftest import add_user
from tests.workers.test_delivery import ADD, SECRET, Receiver, pump
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all, to_message

DRAFT = """mutation($p: ID!, $i: NoticeInput!) { draftNotice(projectId: $p, input: $i) { notice { id } errors { code field } } }"""
SUBMIT = "mutation($n: ID!) { submitNotice(noticeId: $n) { errors { code } } }"
APPROVE = "mutation($n: ID!) { approveNotice(noticeId: $n) { notice { state } errors { code } } }"
WITHDRAW = 'mutation($n: ID!) { withdrawNotice(noticeId: $n, reason: "发错了") { notice { state } errors { code } } }'
READ = """query($n: ID!) { node(id: $n) { ... on Notice { recipientCount readUnitCount
  unreadUnits(first: 2) { totalCount edges { node { label } } } deliveries { channelName topic status } } } }"""


async def add_flats(owner_engine, org, project: str, n: int) -> None:
    """`n` flats in one building, each with an owner living there."""
    o, p, b = org.org_id, org.projects[project], uuid.uuid4()
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO buildings (org_id, project_id, id, name) VALUES (:o, :p, :b, '1号楼')"),
                           {"o": o, "p": p, "b": b})
        await conn.execute(text(
            "INSERT INTO units (org_id, project_id, building_id, number, floor) "
            "SELECT :o, :p, :b, lpad(i::text, 5, '0'), 1 + i / 100 FROM generate_series(1, :n) i"), {"o": o, "p": p, "b": b, "n": n})
        await conn.execute(text(
            "WITH u AS (SELECT id, gen_random_uuid() AS rid, number FROM units WHERE org_id = :o AND project_id = :p), "
            "r AS (INSERT INTO residents (org_id, project_id, id, name) SELECT :o, :p, rid, '住户' || number FROM u) "
            "INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
            "SELECT :o, :p, u.id, u.rid, 'owner', true FROM u"), {"o": o, "p": p})


async def channels(gql, admin, receiver, p1) -> dict[str, str]:
    made = {}
    for c in ({"kind": "WEBHOOK", "name": "短信桥", "target": f"{receiver.url}/bridge", "secret": SECRET, "perMinute": 600,
               "topics": ["notice.recipients", "notice.withdrawn"]},
              {"kind": "WECOM", "name": "业主群", "target": f"{receiver.url}/wecom?key=k", "projectId": p1,
               "topics": ["notice.published", "notice.withdrawn"]},
              {"kind": "WEBHOOK", "name": "未选", "target": f"{receiver.url}/unchosen", "secret": SECRET,
               "topics": ["notice.published", "notice.recipients"]}):
        body = (await gql(ADD, {"i": c}, token=admin))["data"]["addDeliveryChannel"]
        assert body["errors"] == [], body
        made[c["name"]] = body["channel"]["id"]
    return made


async def test_a_notice_reaches_its_flats_in_signed_batches_and_its_robot_once(
        gql, org, owner_engine, platform, stub_worker):
    receiver = Receiver(fail_first=0)
    try:
        await add_flats(owner_engine, org, "P1", 10_000)
        await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
        admin, agent = await gql.login(org), await gql.login(org, "agent1")
        p1 = to_global_id("Project", org.projects["P1"])
        made = await channels(gql, admin, receiver, p1)
        refused = (await gql(ADD, {"i": {"kind": "WECOM", "name": "x", "target": f"{receiver.url}/w?key=k",
                                         "topics": ["notice.recipients"]}}, token=admin))["data"]["addDeliveryChannel"]
        assert [e["field"] for e in refused["errors"]] == ["topics"], "ids for programs go to webhooks only"

        draft = {"title": "停水通知", "body": "明日 9:00–12:00 全小区停水。\n请提前储水。", "kind": "GENERAL", "audience": "PROJECT",
                 "channelIds": [made["短信桥"], made["业主群"]]}
        nid = (await gql(DRAFT, {"p": p1, "i": draft}, token=agent))["data"]["draftNotice"]["notice"]["id"]
        await gql(SUBMIT, {"n": nid}, token=agent)
        assert (await gql(APPROVE, {"n": nid}, token=admin))["data"]["approveNotice"]["notice"]["state"] == "PUBLISHED"

        async def all_sent() -> bool:
            async with owner_engine.connect() as conn:
                return (await conn.execute(text("SELECT count(*) FILTER (WHERE status = 'sent') FROM deliveries WHERE org_id = :o"),
                                           {"o": org.org_id})).scalar_one() == 21  # 20 batches + 1 robot message

        await pump(platform, stub_worker, owner_engine, all_sent, timeout=60)
        batches = [json.loads(r["body"]) for r in receiver.at("/bridge")]
        assert sorted((b["data"]["batch"], b["data"]["batches"], len(b["data"]["recipients"])) for b in batches) == [
            (i, 20, 500) for i in range(1, 21)]
        for r in receiver.at("/bridge"):
            h = r["headers"]
            assert verify_webhook(SECRET, h["x-firstcall-timestamp"], r["body"], h["x-firstcall-signature"])
        flats = [f for b in batches for f in b["data"]["recipients"]]
        assert len({f["unit_id"] for f in flats}) == 10_000 and all(len(f["resident_ids"]) == 1 for f in flats)
        assert "住户" not in receiver.at("/bridge")[0]["body"].decode(), "ids only, never a name"
        wecom = receiver.at("/wecom")
        assert len(wecom) == 1 and "【通知】停水通知" in json.loads(wecom[0]["body"])["markdown"]["content"]
        assert receiver.at("/unchosen") == []

        read = (await gql(READ, {"n": nid}, token=admin))["data"]["node"]
        assert (read["recipientCount"], read["readUnitCount"], read["unreadUnits"]["totalCount"]) == (10_000, 0, 10_000)
        assert [e["node"]["label"] for e in read["unreadUnits"]["edges"]] == ["1号楼 00001", "1号楼 00002"]
        assert sorted((d["channelName"], d["status"]) for d in read["deliveries"]) == [("业主群", "sent")] + [("短信桥", "sent")] * 20

        # The broker brings the publication again: nothing new is planned or sent.
        before = len(receiver.requests)
        async with owner_engine.connect() as conn:
            row = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'notice.published'"),
                                      {"o": org.org_id})).one()
        stub_worker.enqueue(to_message(row))
        await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, timeout=10_000)
        await relay_all(platform, stub_worker)
        await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, timeout=10_000)
        async with owner_engine.connect() as conn:
            counts = (await conn.execute(text("SELECT (SELECT count(*) FROM deliveries WHERE org_id = :o), "
                                              "(SELECT count(*) FROM outbox WHERE org_id = :o AND topic = 'notice.recipients')"),
                                         {"o": org.org_id})).one()
        assert tuple(counts) == (21, 20) and len(receiver.requests) == before
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


async def test_a_notice_withdrawn_before_its_messages_went_out_sends_only_its_withdrawal(
        gql, org, owner_engine, platform, stub_worker):
    receiver = Receiver(fail_first=0)
    try:
        await add_flats(owner_engine, org, "P1", 30)
        admin = await gql.login(org)
        p1 = to_global_id("Project", org.projects["P1"])
        made = await channels(gql, admin, receiver, p1)
        draft = {"title": "燃气检修", "body": "燃气管道检修。", "kind": "OUTAGE", "audience": "PROJECT",
                 "expiresAt": "2099-01-01T00:00:00+08:00", "channelIds": [made["短信桥"], made["业主群"]]}
        nid = (await gql(DRAFT, {"p": p1, "i": draft}, token=admin))["data"]["draftNotice"]["notice"]["id"]
        assert (await gql(APPROVE, {"n": nid}, token=admin))["data"]["approveNotice"]["notice"]["state"] == "PUBLISHED"
        assert (await gql(WITHDRAW, {"n": nid}, token=admin))["data"]["withdrawNotice"]["notice"]["state"] == "WITHDRAWN"

        async def withdrawal_sent() -> bool:
            return len(receiver.at("/bridge")) == 1 and len(receiver.at("/wecom")) == 1

        await pump(platform, stub_worker, owner_engine, withdrawal_sent, timeout=60)
        assert json.loads(receiver.at("/bridge")[0]["body"])["topic"] == "notice.withdrawn"
        assert "【通知撤回】燃气检修" in json.loads(receiver.at("/wecom")[0]["body"])["markdown"]["content"]
        async with owner_engine.connect() as conn:
            rows = (await conn.execute(text("SELECT topic FROM deliveries WHERE org_id = :o"), {"o": org.org_id})).scalars().all()
            recipients = (await conn.execute(text("SELECT count(*) FROM notice_recipients WHERE org_id = :o"),
                                             {"o": org.org_id})).scalar_one()
        assert sorted(rows) == ["notice.withdrawn", "notice.withdrawn"] and recipients == 0
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


async def test_messages_planned_before_a_withdrawal_are_not_sent_after_it(gql, org, owner_engine, platform, stub_worker):
    from workers.handlers import handle_event

    receiver = Receiver(fail_first=0)
    try:
        await add_flats(owner_engine, org, "P1", 30)
        admin = await gql.login(org)
        p1 = to_global_id("Project", org.projects["P1"])
        made = await channels(gql, admin, receiver, p1)
        draft = {"title": "电梯停运", "body": "3 号楼电梯停运。", "kind": "EMERGENCY", "audience": "PROJECT",
                 "expiresAt": "2099-01-01T00:00:00+08:00", "channelIds": [made["短信桥"], made["业主群"]]}
        nid = (await gql(DRAFT, {"p": p1, "i": draft}, token=admin))["data"]["draftNotice"]["notice"]["id"]
        await gql(APPROVE, {"n": nid}, token=admin)

        async def handle(topic: str) -> None:
            async with owner_engine.connect() as conn:
                rows = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = :t"),
                                           {"o": org.org_id, "t": topic})).all()
            for row in rows:
                await handle_event(platform, to_message(row).args[0])

        # The fan-out and the planning ran: a batch for the bridge and a message for the robot wait to be sent.
        await handle("notice.published")
        await handle("notice.recipients")
        async with owner_engine.connect() as conn:
            planned = (await conn.execute(text("SELECT topic FROM deliveries WHERE org_id = :o AND status = 'pending'"),
                                          {"o": org.org_id})).scalars().all()
        assert sorted(planned) == ["notice.published", "notice.recipients"]
        assert (await gql(WITHDRAW, {"n": nid}, token=admin))["data"]["withdrawNotice"]["notice"]["state"] == "WITHDRAWN"
        await handle("delivery.created")
        assert receiver.requests == [], "a withdrawn notice is not announced"

        async def withdrawal_sent() -> bool:
            return len(receiver.at("/bridge")) == 1 and len(receiver.at("/wecom")) == 1

        await pump(platform, stub_worker, owner_engine, withdrawal_sent, timeout=60)
        assert {json.loads(r["body"])["topic"] for r in receiver.at("/bridge")} == {"notice.withdrawn"}
        async with owner_engine.connect() as conn:
            statuses = sorted(tuple(r) for r in await conn.execute(text(
                "SELECT topic, status FROM deliveries WHERE org_id = :o"), {"o": org.org_id}))
        assert statuses == [("notice.published", "pending"), ("notice.recipients", "pending"),
                            ("notice.withdrawn", "sent"), ("notice.withdrawn", "sent")]
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
