"""Live subscriptions when things go wrong: a subscriber that falls behind, frames that are no
proper messages, a listener connection that falls silent — through real sockets, as in
test_subscriptions.py."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Self

import orjson
import pytest
import websockets
from sqlalchemy import text

from api.live.listener import Interrupted, LiveFeed
from tests.api.test_subscriptions import CASES, Live, bearer, case_ids, register, server  # noqa: F401 - server is a fixture


async def notify(owner_engine, org, *topics: str) -> None:
    """What the outbox trigger announces, sent by hand and committed together."""
    async with owner_engine.begin() as conn:
        for topic in topics:
            await conn.execute(text("SELECT pg_notify('firstcall_live', :m)"), {"m": orjson.dumps(
                {"org_id": str(org.org_id), "project_id": str(org.projects["P1"]), "topic": topic,
                 "id": str(uuid.uuid4()), "case_id": str(uuid.uuid4()), "alert_id": None}).decode()})


async def test_a_subscriber_that_falls_behind_is_ended_not_thinned(db_urls, owner_engine, org):
    feed = LiveFeed(db_urls.app.set(drivername="postgresql").render_as_string(hide_password=False), queue_size=3)
    try:
        async with feed.subscribe(org.org_id, "case.") as slow:
            await notify(owner_engine, org, *(f"case.t{i}" for i in range(5)))
            with pytest.raises(Interrupted) as ended:
                async with asyncio.timeout(5):
                    async for _ in slow:
                        pass
            assert ended.value.behind
        assert feed.subscribers() == 0
    finally:
        await feed.close()


NOT_MESSAGES = ("[]", "1", '"x"', "null", "true")
BAD_IDS = ('{"type": "complete", "id": []}', '{"type": "complete", "id": {}}', '{"type": "complete", "id": 7}',
           '{"type": "subscribe", "id": {}, "payload": {"query": "subscription { alerts { topic } }"}}',
           '{"type": "subscribe", "id": [], "payload": {"query": "subscription { alerts { topic } }"}}', '{"type": {}}')


async def test_a_frame_that_is_no_proper_message_closes_its_connection_with_4400(gql, org, desk, server, caplog):  # noqa: F811 — the imported fixture
    admin = await gql.login(org)
    url = f"ws://127.0.0.1:{server.port}/graphql"
    async with Live.connect(server, bearer(admin)) as watcher:
        await watcher.subscribe("cases", CASES)
        await server.until_subscribed(org.org_id, 1)
        for frame, initialised in [(f, False) for f in NOT_MESSAGES] + [(f, True) for f in NOT_MESSAGES + BAD_IDS]:
            async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
                if initialised:
                    await ws.send(orjson.dumps({"type": "connection_init", "payload": bearer(admin)}).decode())
                    assert orjson.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
                await ws.send(frame)
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), 5)
                rcvd = closed.value.rcvd  # None when the server went away without a close frame
                assert rcvd is not None and (rcvd.code, bool(rcvd.reason)) == (4400, True), (frame, rcvd)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "nothing escaped the handler"
        # The server goes on: the other connection still hears, and a new one is served.
        made = await register(gql, admin, desk)
        await watcher.until(lambda: made in case_ids(watcher, "cases"))
        async with Live.connect(server, bearer(admin)) as newcomer:
            await newcomer.subscribe("cases", CASES)
            await server.until_subscribed(org.org_id, 2)


class Relay:
    """A TCP relay to PostgreSQL whose current connections can fall silent, as half-open ones do:
    nothing is closed and nothing gets through, so no end is ever reported."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._silent: set[asyncio.StreamWriter] = set()
        self._open: set[asyncio.StreamWriter] = set()

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        self._server.close()
        for writer in self._open:
            writer.close()

    def fall_silent(self) -> None:
        self._silent |= self._open

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._open |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65_536):
                    if dst not in self._silent:
                        dst.write(data)
                        await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def test_a_listener_connection_that_falls_silent_fails_its_health_check(db_urls, owner_engine, org):
    async with Relay(db_urls.app.host or "127.0.0.1", db_urls.app.port or 5432) as relay:
        dsn = db_urls.app.set(drivername="postgresql", host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        feed = LiveFeed(dsn, health_every=0.2, health_timeout=1.0)
        try:
            async with feed.subscribe(org.org_id, "case.") as sub:
                notes = aiter(sub)
                await asyncio.sleep(1.0)  # a few health checks answered: a live connection is kept
                await notify(owner_engine, org, "case.before")
                assert (await asyncio.wait_for(anext(notes), 5)).topic == "case.before"
                assert feed.reconnects == 0
                relay.fall_silent()
                await notify(owner_engine, org, "case.unheard")
                heard = []
                with pytest.raises(Interrupted) as ended:
                    async with asyncio.timeout(5):
                        async for note in notes:
                            heard.append(note)
                assert heard == [] and not ended.value.behind and "subscribe again" in ended.value.reason
            async with feed.subscribe(org.org_id, "case.") as again:  # waits for the listener to be back
                await notify(owner_engine, org, "case.after")
                assert (await asyncio.wait_for(anext(aiter(again)), 5)).topic == "case.after"
            assert feed.reconnects == 1
        finally:
            await feed.close()
