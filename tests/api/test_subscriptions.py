"""Live subscriptions through real sockets: the app under uvicorn on a loopback port, a
graphql-transport-ws client, events produced through the real path (GraphQL → outbox → commit →
NOTIFY; alerts by the worker). The wall between companies and between projects, the
authentication of a connection, its limits, and two API instances sharing one database."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
import websockets
from graphql import parse
from sqlalchemy import text
from starlette.routing import WebSocketRoute

from api.app import create_app
from api.graphql.cost import MAX_COST, cost_of
from api.graphql.schema import schema
from api.graphql.types.node import to_global_id
from api.live.listener import LiveFeed
from tenants.platform import Platform
from tests.api.conftest import REGISTER, case_input
from tests.api.test_org_overview import settle
from tests.conftest import add_unit

CASES = "subscription($p: ID) { caseUpdates(projectId: $p) { topic case { id number state project { name } } } }"
ALERTS = "subscription($p: ID) { alerts(projectId: $p) { topic alert { id rule colour state caseIds } } }"
ACK = "mutation($a: ID!) { acknowledgeAlert(alertId: $a) { alert { state } errors { code } } }"


class Server:
    def __init__(self, port: int, feed: LiveFeed) -> None:
        self.port = port
        self.feed = feed

    async def until_subscribed(self, org_id: uuid.UUID, n: int) -> None:
        """Subscriptions start when the server begins iterating them: wait for exactly n."""
        async with asyncio.timeout(10):
            while self.feed.subscribers(org_id) != n:
                await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def running(settings, db_urls) -> AsyncIterator[Server]:
    """One API instance: its own platform and listener, on a port of its own."""
    app = create_app(Platform.create(settings, db_urls), None, instrument=False)
    view = next(r.endpoint for r in app.routes if isinstance(r, WebSocketRoute))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", ws="websockets-sansio"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(10):
        while not server.started:
            await asyncio.sleep(0.01)
    try:
        yield Server(sock.getsockname()[1], view.live)
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def server(settings, db_urls) -> AsyncIterator[Server]:
    async with running(settings, db_urls) as s:
        yield s


class Live:
    """A graphql-transport-ws client that files every message by operation id."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.messages: dict[str, list[dict]] = {}
        self.changed = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, server: Server, init: dict[str, Any]) -> AsyncIterator[Live]:
        async with websockets.connect(f"ws://127.0.0.1:{server.port}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(orjson.dumps({"type": "connection_init", "payload": init}).decode())
            ack = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
            assert ack["type"] == "connection_ack", ack
            live = cls(ws)
            try:
                yield live
            finally:
                live.reader.cancel()

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.ws:
                assert isinstance(raw, str), "graphql-transport-ws sends text frames"
                message = orjson.loads(raw)
                self.messages.setdefault(message.get("id", ""), []).append(message)
                self.changed.set()

    async def subscribe(self, op_id: str, query: str, variables: dict | None = None) -> None:
        message = {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}
        await self.ws.send(orjson.dumps(message).decode())

    def data(self, op_id: str) -> list[dict]:
        return [m["payload"]["data"] for m in self.messages.get(op_id, []) if m["type"] == "next" and m["payload"]["data"]]

    async def until(self, check, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout):
            while not check():
                self.changed.clear()
                await self.changed.wait()


def bearer(token: str) -> dict:
    return {"authorization": f"Bearer {token}"}


async def register(gql, token, desk_like, **over) -> str:
    body = await gql(REGISTER, {"i": case_input(desk_like, **over)}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body
    return body["data"]["registerCase"]["case"]["id"]


async def desk_of(owner_engine, org) -> dict:
    unit, _ = await add_unit(owner_engine, org, "P1")
    return {"unit": to_global_id("Unit", unit), "project": to_global_id("Project", org.projects["P1"])}


def case_ids(live: Live, op: str) -> set[str]:
    return {d["caseUpdates"]["case"]["id"] for d in live.data(op)}


def alert_ids(live: Live, op: str) -> set[str]:
    return {d["alerts"]["alert"]["id"] for d in live.data(op)}


async def test_two_companies_each_hear_only_their_own(gql, org, other_org, owner_engine, server, platform, stub_worker):
    admins = {o.org_id: await gql.login(o) for o in (org, other_org)}
    desks = {o.org_id: await desk_of(owner_engine, o) for o in (org, other_org)}
    async with Live.connect(server, bearer(admins[org.org_id])) as a, Live.connect(server, bearer(admins[other_org.org_id])) as b:
        for live, o in ((a, org), (b, other_org)):
            await live.subscribe("cases", CASES)
            await live.subscribe("alerts", ALERTS)
            await server.until_subscribed(o.org_id, 2)
        made: dict[uuid.UUID, set[str]] = {o.org_id: set() for o in (org, other_org)}
        for o in (other_org, org, other_org):  # interleaved, each a skip-level complaint: a red alert
            made[o.org_id].add(await register(gql, admins[o.org_id], desks[o.org_id], kind="COMPLAINT", channel="GOV_12345",
                                              category="noise", description="热线转来：夜间施工噪音"))
        await settle(platform, stub_worker)
        raised: dict[uuid.UUID, set[str]] = {}
        for o in (org, other_org):
            found = (await gql("{ alerts { id } }", token=admins[o.org_id]))["data"]["alerts"]
            assert found
            raised[o.org_id] = {f["id"] for f in found}
            ack = await gql(ACK, {"a": found[0]["id"]}, token=admins[o.org_id])
            assert ack["data"]["acknowledgeAlert"]["errors"] == []
        for live, o in ((a, org), (b, other_org)):
            await live.until(lambda live=live, o=o: case_ids(live, "cases") >= made[o.org_id]
                             and alert_ids(live, "alerts") >= raised[o.org_id]
                             and "alert.acknowledged" in {d["alerts"]["topic"] for d in live.data("alerts")})
        await asyncio.sleep(0.3)  # anything still on its way would arrive now
        for live, o, other in ((a, org, other_org), (b, other_org, org)):
            assert case_ids(live, "cases") == made[o.org_id], "exactly its own cases, none of the other company's"
            assert not case_ids(live, "cases") & made[other.org_id]
            assert alert_ids(live, "alerts") == raised[o.org_id] and not alert_ids(live, "alerts") & raised[other.org_id]
            topics = [d["alerts"]["topic"] for d in live.data("alerts")]
            assert topics.count("alert.acknowledged") == 1 and topics.count("alert.raised") >= len(raised[o.org_id])
            assert {d["caseUpdates"]["case"]["project"]["name"] for d in live.data("cases")} == {"项目1"}
            received = [d["caseUpdates"]["case"]["id"] for d in live.data("cases") if d["caseUpdates"]["topic"] == "case.received"]
            assert sorted(received) == sorted(made[o.org_id]), "one case.received per case, nothing doubled"
            assert "case.escalated" in {d["caseUpdates"]["topic"] for d in live.data("cases")}, "a skip-level complaint escalates"


async def test_a_project_agent_hears_only_its_project(gql, org, desk, owner_engine, server):
    admin, agent = await gql.login(org), desk["agent"][1]
    p2_unit, _ = await add_unit(owner_engine, org, "P2")
    p2 = {"unit": to_global_id("Unit", p2_unit), "project": to_global_id("Project", org.projects["P2"])}
    async with Live.connect(server, bearer(agent)) as live, Live.connect(server, bearer(admin)) as boss:
        await live.subscribe("cases", CASES)
        await boss.subscribe("p1", CASES, {"p": desk["project"]})
        await server.until_subscribed(org.org_id, 2)
        in_p2 = await register(gql, admin, p2)
        in_p1 = await register(gql, agent, desk)
        await live.until(lambda: in_p1 in case_ids(live, "cases"))
        await boss.until(lambda: in_p1 in case_ids(boss, "p1"))
        assert case_ids(live, "cases") == {in_p1} and in_p2 not in case_ids(live, "cases")
        assert case_ids(boss, "p1") == {in_p1}, "projectId narrows even a company-wide subscriber"


async def test_a_connection_without_valid_credentials_is_refused(server, gql, org):
    url = f"ws://127.0.0.1:{server.port}/graphql"
    for init in ({}, bearer("not-a-token"), {"apiKey": "fc_nope.nope"}, {"authorization": 42}):
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(orjson.dumps({"type": "connection_init", "payload": init}).decode())
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 4403, init
            assert closed.value.rcvd.reason.split(":")[0] in ("UNAUTHENTICATED", "BAD_REQUEST"), closed.value.rcvd.reason
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # subscribe before connection_init
        await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": CASES}}).decode())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd.code == 4401
    async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:  # the legacy graphql-ws protocol is not spoken
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd.code == 4406
    # The upgrade request's own header is accepted too.
    token = await gql.login(org)
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"],
                                  additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        await ws.send(orjson.dumps({"type": "connection_init"}).decode())
        assert orjson.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"


async def test_the_21st_subscription_is_refused_and_the_rest_keep_working(gql, org, desk, server):
    admin = await gql.login(org)
    async with Live.connect(server, bearer(admin)) as live:
        for i in range(20):
            await live.subscribe(f"s{i}", CASES)
        await server.until_subscribed(org.org_id, 20)
        await live.subscribe("s20", CASES)
        await live.until(lambda: live.messages.get("s20"))
        refused = live.messages["s20"][0]
        assert refused["type"] == "error" and refused["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
        made = await register(gql, admin, desk)
        await live.until(lambda: all(case_ids(live, f"s{i}") == {made} for i in range(20)))
        await live.ws.send(orjson.dumps({"id": "s0", "type": "complete"}).decode())  # a freed place can be used again
        await server.until_subscribed(org.org_id, 19)
        await live.subscribe("again", CASES)
        await server.until_subscribed(org.org_id, 20)


async def test_another_companys_project_is_not_found(gql, org, other_org, desk, server):
    admin, agent = await gql.login(org), desk["agent"][1]
    theirs = to_global_id("Project", other_org.projects["P1"])
    p2 = to_global_id("Project", org.projects["P2"])
    async with Live.connect(server, bearer(admin)) as live, Live.connect(server, bearer(agent)) as mine:
        await live.subscribe("theirs", CASES, {"p": theirs})
        await live.subscribe("theirs-alerts", ALERTS, {"p": theirs})
        await mine.subscribe("p2", CASES, {"p": p2})  # the agent's own company, a project it may not see
        for client, op in ((live, "theirs"), (live, "theirs-alerts"), (mine, "p2")):
            await client.until(lambda client=client, op=op: any(m["type"] in ("error", "complete") for m in client.messages.get(op, [])))
            errors = [e for m in client.messages[op] if m["type"] in ("next", "error")
                      for e in (m["payload"] if m["type"] == "error" else m["payload"]["errors"])]
            assert [e["extensions"]["code"] for e in errors] == ["NOT_FOUND"], client.messages[op]
            assert all(m["type"] != "next" or m["payload"]["data"] is None for m in client.messages[op])
        assert server.feed.subscribers(org.org_id) == 0


async def test_limits_apply_over_the_websocket(gql, org, server):
    admin = await gql.login(org)
    async with Live.connect(server, bearer(admin)) as live:
        await live.subscribe("q", "{ viewer { username } }")
        await live.subscribe("aliases", "subscription { " + " ".join(f"a{i}: alerts {{ topic }}" for i in range(31)) + " }")
        await live.subscribe("tokens", "subscription { alerts { " + "topic " * 2_100 + "} }")
        await live.subscribe("bad", "subscription { caseUpdates { nosuch } }")
        await live.subscribe("cases", CASES)
        await live.subscribe("alerts", ALERTS)
        ops = ("q", "aliases", "tokens", "bad")
        await live.until(lambda: all(live.messages.get(op) for op in ops))
        codes = {op: live.messages[op][0]["payload"][0]["extensions"]["code"] for op in ops}
        assert codes == {"q": "BAD_REQUEST", "aliases": "QUERY_TOO_COMPLEX", "tokens": "QUERY_TOO_COMPLEX",
                         "bad": "GRAPHQL_VALIDATION_FAILED"}
        assert all(live.messages[op][0]["type"] == "error" for op in ops)
        await server.until_subscribed(org.org_id, 2)  # the two good ones are live
        await live.ws.send("x" * 70_000)
        await asyncio.wait_for(live.reader, 5)
        assert live.ws.close_code == 1009
        await server.until_subscribed(org.org_id, 0)


async def test_a_costly_subscription_is_refused_with_its_cost(gql, org, server):
    """Each event runs the selection again: a case's repeats of repeats of repeats… are weighed as
    over HTTP (api/graphql/cost.py), before the subscription starts."""
    admin = await gql.login(org)
    deep = "subscription { caseUpdates { topic case { " + "id repeats { " * 5 + "id number" + " }" * 5 + " } } }"
    document = parse(deep)
    expected = cost_of(schema._schema, document, document.definitions[0], {})  # type: ignore[arg-type]
    assert expected is not None and expected > MAX_COST
    async with Live.connect(server, bearer(admin)) as live:
        await live.subscribe("deep", deep)
        await live.subscribe("cases", CASES)
        await live.until(lambda: bool(live.messages.get("deep")))
        [refused] = live.messages["deep"]
        assert refused["type"] == "error" and refused["payload"][0]["extensions"] == {
            "code": "QUERY_TOO_COMPLEX", "cost": expected, "maxCost": MAX_COST}
        assert f"The query costs {expected}, over the limit of {MAX_COST}" in refused["payload"][0]["message"]
        await server.until_subscribed(org.org_id, 1)  # the ordinary one is live


async def test_an_event_committed_through_one_instance_reaches_a_subscriber_of_another(settings, db_urls, gql, org, desk, owner_engine):
    admin = await gql.login(org)
    async with running(settings, db_urls) as one, running(settings, db_urls) as two, Live.connect(one, bearer(admin)) as live:
        await live.subscribe("cases", CASES)
        await one.until_subscribed(org.org_id, 1)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{two.port}") as http:
            r = await http.post("/graphql", json={"query": REGISTER, "variables": {"i": case_input(desk)}},
                                headers={"authorization": f"Bearer {admin}"})
            made = r.json()["data"]["registerCase"]["case"]["id"]
        await live.until(lambda: made in case_ids(live, "cases"))
        assert two.feed.subscribers() == 0, "the instance that committed had no subscriber of its own"
        # Any connection's commit is announced; a rollback never is.
        insert = text("INSERT INTO outbox (org_id, project_id, topic, payload) "
                      "SELECT org_id, project_id, :t, jsonb_build_object('case_id', id) FROM cases WHERE org_id = :o")
        async with owner_engine.connect() as conn:
            trans = await conn.begin()
            await conn.execute(insert, {"o": org.org_id, "t": "case.rolled_back"})
            await trans.rollback()
        async with owner_engine.begin() as conn:
            await conn.execute(insert, {"o": org.org_id, "t": "case.noted"})
        await live.until(lambda: len(live.data("cases")) == 2)
        await asyncio.sleep(0.2)
        assert [d["caseUpdates"]["topic"] for d in live.data("cases")] == ["case.received", "case.noted"]


async def test_a_revoked_key_stops_its_feed(gql, org, desk, server, monkeypatch):
    from api.live import websocket

    admin = await gql.login(org)
    body = await gql('mutation { createApiKey(input: {name: "大屏 Wallboard"}) { apiKey { id } secret } }', token=admin)
    key = body["data"]["createApiKey"]
    async with Live.connect(server, {"apiKey": key["secret"]}) as live:
        await live.subscribe("cases", CASES)
        await server.until_subscribed(org.org_id, 1)
        first = await register(gql, admin, desk)
        await live.until(lambda: first in case_ids(live, "cases"))
        await gql("mutation($id: ID!) { revokeApiKey(id: $id) { ok } }", {"id": key["apiKey"]["id"]}, token=admin)
        monkeypatch.setattr(websocket, "RECHECK_SECONDS", 0.0)  # instead of waiting a minute
        second = await register(gql, admin, desk)
        await live.until(lambda: any(m["type"] == "complete" for m in live.messages["cases"]))
        errors = [e for m in live.messages["cases"] if m["type"] == "next" for e in m["payload"].get("errors", [])]
        assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
        assert second not in case_ids(live, "cases")


async def test_a_lost_listener_ends_its_subscriptions_and_reconnects(gql, org, desk, server, owner_engine):
    admin = await gql.login(org)
    async with Live.connect(server, bearer(admin)) as live:
        await live.subscribe("before", CASES)
        await server.until_subscribed(org.org_id, 1)
        async with owner_engine.begin() as conn:
            killed = (await conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                              "WHERE datname = current_database() AND query LIKE 'LISTEN%firstcall_live%'"))).scalar()
        assert killed == 1, killed
        await live.until(lambda: any(m["type"] == "complete" for m in live.messages.get("before", [])))
        errors = [e for m in live.messages["before"] if m["type"] == "next" for e in m["payload"].get("errors", [])]
        assert [e["extensions"]["code"] for e in errors] == ["INTERNAL"] and "subscribe again" in errors[0]["message"]
        await live.subscribe("after", CASES)  # waits for the listener to be back
        await server.until_subscribed(org.org_id, 1)
        made = await register(gql, admin, desk)
        await live.until(lambda: made in case_ids(live, "after"))
        assert server.feed.reconnects == 1
