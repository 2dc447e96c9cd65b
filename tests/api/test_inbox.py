"""站内通知: an escalation reaches the inbox of each person it names — through the outbox, the
relay and a worker — once, however often the broker delivers it; each person sees only their own."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from api.graphql.types.node import from_global_id
from tests.api.conftest import REGISTER, case_input
from tests.api.test_sla import fired
from tests.conftest import add_user
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all, to_message
from workers.sla_scanner import fire_due

INBOX = "query($u: Boolean!) { notifications(unreadOnly: $u) { unreadCount items { id topic title body caseId readAt } } }"
MARK = "mutation($ids: [ID!], $all: Boolean!) { markNotificationsRead(ids: $ids, all: $all) { unreadCount errors { code field } } }"


async def drain(broker) -> None:
    await asyncio.to_thread(broker.join, EVENTS_QUEUE, fail_fast=True, timeout=30_000)


async def test_escalations_reach_each_recipient_once_and_only_them(gql, desk, owner_engine, org, other_org, platform, stub_worker):
    await add_user(owner_engine, org, "sup2", "cs_supervisor", "P1")
    sup, sup2, agent = desk["sup"][1], await gql.login(org, "sup2"), desk["agent"][1]
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=agent))["data"]["registerCase"]["case"]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE sla_timers SET due_at = now() WHERE case_id = :c AND target = 'commit' AND level = 'l1'"),
                           {"c": from_global_id(c["id"], "Case")})
    await fire_due(platform)
    assert await fired(owner_engine, c["id"]) == 1
    assert await relay_all(platform, stub_worker) >= 1
    await drain(stub_worker)
    # At-least-once delivery: the broker brings it again; nothing more appears.
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM outbox WHERE topic = 'case.escalated' AND org_id = :o"), {"o": org.org_id})).one()
    for _ in range(3):
        stub_worker.enqueue(to_message(row))
    await drain(stub_worker)

    for token in (sup, sup2):
        box = (await gql(INBOX, {"u": True}, token=token))["data"]["notifications"]
        assert box["unreadCount"] == 1 and len(box["items"]) == 1
        item = box["items"][0]
        assert item["topic"] == "case.escalated" and item["caseId"] == c["id"]
        assert item["title"] == f"一级升级 L1：工单 {c['number']}" and item["body"].startswith("已到时限（响应承诺）")
    assert (await gql(INBOX, {"u": False}, token=agent))["data"]["notifications"]["items"] == []

    mine = (await gql(INBOX, {"u": True}, token=sup))["data"]["notifications"]["items"][0]["id"]
    # Someone else's id changes nothing for them.
    assert (await gql(MARK, {"ids": [mine], "all": False}, token=sup2))["data"]["markNotificationsRead"]["unreadCount"] == 1
    assert (await gql(MARK, {"ids": [mine], "all": False}, token=sup))["data"]["markNotificationsRead"] == {"unreadCount": 0, "errors": []}
    assert (await gql(MARK, {"ids": None, "all": False}, token=sup))["data"]["markNotificationsRead"]["errors"] == [
        {"code": "VALIDATION", "field": "ids"}]
    assert (await gql(MARK, {"ids": None, "all": True}, token=sup2))["data"]["markNotificationsRead"]["unreadCount"] == 0

    outsider = await gql.login(other_org)
    assert (await gql(INBOX, {"u": False}, token=outsider))["data"]["notifications"] == {"unreadCount": 0, "items": []}
    assert (await gql(MARK, {"ids": [mine], "all": True}, token=outsider))["data"]["markNotificationsRead"]["unreadCount"] == 0
    async with owner_engine.connect() as conn:
        counts = (await conn.execute(text("SELECT (SELECT count(*) FROM notifications WHERE org_id = :o), "
                                          "(SELECT count(*) FROM notifications WHERE org_id = :x)"),
                                     {"o": org.org_id, "x": other_org.org_id})).one()
    assert tuple(counts) == (2, 0)
