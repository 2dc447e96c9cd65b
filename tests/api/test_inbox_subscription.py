"""The live inbox through real sockets: an escalation fired by the SLA scanner, relayed and handled
by the worker, reaches the `inbox` subscription of each person it names — with their unread count —
and nobody else's: not a colleague's in the same company, not another company's, not an API key's."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import settle
from tests.api.test_subscriptions import Live, bearer, server  # noqa: F401  (the fixture)
from tests.conftest import add_unit, add_user
from workers.sla_scanner import fire_due

INBOX = "subscription { inbox { unreadCount notification { id topic title caseId readAt escalationLevel } } }"
MARK = "mutation($all: Boolean!) { markNotificationsRead(all: $all) { unreadCount errors { code } } }"


async def escalate(gql, owner_engine, token: str, desk: dict) -> dict:
    """A case registered by `token` whose L1 commitment timer is due now."""
    c = (await gql(REGISTER, {"i": case_input(desk)}, token=token))["data"]["registerCase"]["case"]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE sla_timers SET due_at = now() WHERE case_id = :c AND target = 'commit' AND level = 'l1'"),
                           {"c": from_global_id(c["id"], "Case")})
    return c


def heard(live: Live, op: str = "inbox") -> list[dict]:
    return [d["inbox"] for d in live.data(op)]


async def test_each_person_hears_only_their_own_notifications(gql, desk, org, other_org, owner_engine, platform, stub_worker, server):  # noqa: F811
    sup, agent = desk["sup"][1], desk["agent"][1]
    unit, _ = await add_unit(owner_engine, other_org, "P1")
    await add_user(owner_engine, other_org, "sup", "cs_supervisor", "P1")
    their_desk = {"unit": to_global_id("Unit", unit), "project": to_global_id("Project", other_org.projects["P1"])}
    their_sup, their_admin = await gql.login(other_org, "sup"), await gql.login(other_org)

    async with (Live.connect(server, bearer(sup)) as a, Live.connect(server, bearer(agent)) as b,
                Live.connect(server, bearer(their_sup)) as c):
        for live in (a, b, c):
            await live.subscribe("inbox", INBOX)
        await server.until_subscribed(org.org_id, 2)
        await server.until_subscribed(other_org.org_id, 1)
        mine = await escalate(gql, owner_engine, agent, desk)
        theirs = await escalate(gql, owner_engine, their_admin, their_desk)
        await fire_due(platform)
        await settle(platform, stub_worker)

        await a.until(lambda: len(heard(a)) == 1)
        await c.until(lambda: len(heard(c)) == 1)
        await asyncio.sleep(0.3)  # anything still on its way would arrive now
        [event] = heard(a)
        assert event["unreadCount"] == 1
        n = event["notification"]
        assert n["topic"] == "case.escalated" and n["caseId"] == mine["id"] and n["readAt"] is None and n["escalationLevel"] == "l1"
        assert n["title"] == f"一级升级 L1：工单 {mine['number']}"
        assert [e["notification"]["caseId"] for e in heard(c)] == [theirs["id"]]
        assert b.messages.get("inbox") is None, "the agent was not named: not a word reaches them"

        # The count each event carries is the count after it: read them all, the next one says 1.
        assert (await gql(MARK, {"all": True}, token=sup))["data"]["markNotificationsRead"]["unreadCount"] == 0
        again = await escalate(gql, owner_engine, agent, desk)
        await fire_due(platform)
        await settle(platform, stub_worker)
        await a.until(lambda: len(heard(a)) == 2)
        assert heard(a)[1]["unreadCount"] == 1 and heard(a)[1]["notification"]["caseId"] == again["id"]
        assert len(heard(c)) == 1 and b.messages.get("inbox") is None


async def test_an_api_key_has_no_inbox(gql, org, server):  # noqa: F811
    admin = await gql.login(org)
    body = await gql('mutation { createApiKey(input: {name: "大屏 Wallboard"}) { apiKey { id } secret } }', token=admin)
    async with Live.connect(server, {"apiKey": body["data"]["createApiKey"]["secret"]}) as live:
        await live.subscribe("inbox", INBOX)
        await live.until(lambda: any(m["type"] in ("error", "complete") for m in live.messages.get("inbox", [])))
        errors = [e for m in live.messages["inbox"] if m["type"] in ("next", "error")
                  for e in (m["payload"] if m["type"] == "error" else m["payload"]["errors"])]
        assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], live.messages["inbox"]
        assert "no inbox" in errors[0]["message"]
        assert server.feed.subscribers(org.org_id) == 0
