"""Deliveries end to end with real servers on loopback: a webhook receiver that checks our
signature, WeCom- and DingTalk-shaped robots, and an SMTP server (aiosmtpd). Each message once per
channel however often the event is delivered; a failing receiver gets the same delivery id again
until it accepts; channels of one company never hear of another's cases."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from dramatiq.errors import QueueJoinTimeout
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from domain.notifications.signing import verify_webhook
from tests.conftest import add_user
from workers import runtime
from workers.broker import EVENTS_QUEUE
from workers.relay import relay_all, to_message

SECRET = "whsec-0123456789abcdef"
ADD = ("mutation($i: DeliveryChannelInput!) { addDeliveryChannel(input: $i) { channel { id target kindLabel } "
       "errors { code field } } }")


class Receiver:
    """Records every POST; answers 500 to the first `fail_first` requests on /flaky."""

    def __init__(self, fail_first: int = 1) -> None:
        self.requests: list[dict] = []
        self.fail_first = fail_first
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the stdlib's name
                body = self.rfile.read(int(self.headers["content-length"]))
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append({"path": parts.path, "query": parse_qs(parts.query), "headers": headers,
                                       "body": body})
                failing = parts.path == "/flaky" and sum(r["path"] == "/flaky" for r in outer.requests) <= outer.fail_first
                self.send_response(500 if failing else 200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def at(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def mailbox():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


async def pump(platform, broker, owner_engine, until, timeout: float = 30) -> None:
    """Relay and work until `until()` holds: events beget deliveries, deliveries beget sends and retries."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await relay_all(platform, broker)
        # A message waiting out its retry backoff (an earlier event of its case still in hand on
        # a loaded machine) keeps the queue from joining; the deadline above is what bounds us.
        with contextlib.suppress(QueueJoinTimeout):
            await asyncio.to_thread(broker.join, EVENTS_QUEUE, timeout=5_000, fail_fast=False)
        if await until():
            return
        await asyncio.sleep(0.3)
    raise AssertionError("deliveries did not finish in time")


async def test_each_channel_hears_once_signed_and_a_failing_receiver_gets_the_same_delivery_again(
        gql, org, other_org, owner_engine, platform, settings, db_urls, stub_worker, receiver, mailbox):
    box, smtp_port = mailbox
    runtime.configure(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp_port}), db_urls)
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    admin = await gql.login(org)
    channels = [
        {"kind": "WEBHOOK", "name": "业主App", "target": f"{receiver.url}/hook", "secret": SECRET,
         "topics": ["case.committed", "case.escalated"]},
        {"kind": "WEBHOOK", "name": "不稳定", "target": f"{receiver.url}/flaky", "secret": SECRET, "topics": ["case.escalated"]},
        {"kind": "WECOM", "name": "客服群", "target": f"{receiver.url}/wecom?key=wk", "topics": ["case.escalated"]},
        {"kind": "DINGTALK", "name": "项目经理群", "target": f"{receiver.url}/ding?access_token=dt", "secret": "SECdingding",
         "topics": ["case.escalated"], "minLevel": "l1"},
        {"kind": "DINGTALK", "name": "总部群", "target": f"{receiver.url}/hq", "topics": ["case.escalated"], "minLevel": "l3"},
        {"kind": "EMAIL", "name": "值班邮箱", "target": "duty@example.com", "topics": ["case.escalated"]},
    ]
    for c in channels:
        body = (await gql(ADD, {"i": c}, token=admin))["data"]["addDeliveryChannel"]
        assert body["errors"] == [], (c, body)
    assert body["channel"]["kindLabel"] == "电子邮件 E-mail"

    case = (await gql("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id number } } }", {"i": {
        "projectId": to_global_id("Project", org.projects["P1"]), "kind": "REQUEST", "channel": "PHONE",
        "category": "public_area", "publicArea": "大堂", "description": "大堂门禁失灵"}}, token=admin))["data"]["registerCase"]["case"]
    for m in ('commitCase(caseId: $c)', 'reportUndispatchable(caseId: $c, reason: "全员外出")'):
        body = await gql(f"mutation($c: ID!) {{ {m.split('(')[0]}: {m} {{ errors {{ code }} }} }}", {"c": case["id"]}, token=admin)
        assert "errors" not in body, body

    async def all_sent() -> bool:
        async with owner_engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FILTER (WHERE status = 'sent'), count(*) FROM deliveries "
                                            "WHERE org_id = :o"), {"o": org.org_id})).one() == (6, 6)

    await pump(platform, stub_worker, owner_engine, all_sent)

    hooks = receiver.at("/hook")
    assert sorted(json.loads(r["body"])["topic"] for r in hooks) == ["case.committed", "case.escalated"]
    for r in hooks:
        h = r["headers"]
        assert verify_webhook(SECRET, h["x-firstcall-timestamp"], r["body"], h["x-firstcall-signature"])
    escalated = json.loads(next(r["body"] for r in hooks if b"case.escalated" in r["body"]))
    assert escalated["title"] == f"一级升级 L1：工单 {case['number']}" and escalated["data"]["level"] == "l1"
    flaky = receiver.at("/flaky")
    assert len(flaky) == 2 and len({r["headers"]["x-firstcall-delivery"] for r in flaky}) == 1, "the same delivery, again"
    assert "一级升级 L1" in json.loads(receiver.at("/wecom")[0]["body"])["markdown"]["content"]
    ding = receiver.at("/ding")
    assert len(ding) == 1 and ding[0]["query"]["access_token"] == ["dt"] and "sign" in ding[0]["query"]
    assert receiver.at("/hq") == [], "an L3-only channel does not hear of L1"
    assert len(box.messages) == 1 and box.messages[0].rcpt_tos == ["duty@example.com"]
    mail = email.message_from_bytes(box.messages[0].content, policy=email.policy.default)
    assert mail["Subject"] == f"一级升级 L1：工单 {case['number']}" and "无法派单" in mail.get_content()

    # The broker delivers the escalation again: no new delivery, nothing sent twice.
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'case.escalated'"), {"o": org.org_id})).one()
        attempts = (await conn.execute(text("SELECT attempts, last_error FROM deliveries d JOIN delivery_channels c ON c.id = d.channel_id "
                                            "WHERE c.name = '不稳定'"))).one()
    assert attempts.attempts == 2 and attempts.last_error is None
    before = len(receiver.requests)
    for _ in range(3):
        stub_worker.enqueue(to_message(row))
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, timeout=10_000)
    await relay_all(platform, stub_worker)
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, timeout=10_000)
    assert len(receiver.requests) == before and len(box.messages) == 1

    # Another company: sees none of these channels, and its cases reach none of them.
    outsider = await gql.login(other_org)
    assert (await gql("{ deliveryChannels { id } }", token=outsider))["data"]["deliveryChannels"] == []
    ours = (await gql("{ deliveryChannels { id name } }", token=admin))["data"]["deliveryChannels"]
    switch = "mutation($c: ID!) { setDeliveryChannelActive(channelId: $c, active: false) { errors { code } } }"
    assert (await gql(switch, {"c": ours[0]["id"]}, token=outsider))["data"]["setDeliveryChannelActive"]["errors"][0]["code"] == "NOT_FOUND"
    log = await gql("query($c: ID!) { deliveries(channelId: $c) { id } }", {"c": ours[0]["id"]}, token=outsider)
    assert log["data"] is None and log["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # out of reach, as every id
    theirs = (await gql("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id } } }", {"i": {
        "projectId": to_global_id("Project", other_org.projects["P1"]), "kind": "REQUEST", "channel": "PHONE",
        "category": "public_area", "publicArea": "大堂", "description": "别家的事"}}, token=outsider))["data"]["registerCase"]["case"]
    await gql('mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }', {"c": theirs["id"]}, token=outsider)
    await relay_all(platform, stub_worker)
    await asyncio.to_thread(stub_worker.join, EVENTS_QUEUE, timeout=10_000)
    assert len(receiver.requests) == before
    log = (await gql("query($c: ID!) { deliveries(channelId: $c) { topic status attempts } }", {"c": ours[0]["id"]}, token=admin))
    assert sorted((d["topic"], d["status"]) for d in log["data"]["deliveries"]) == [("case.committed", "sent"), ("case.escalated", "sent")]


async def test_bad_channels_are_refused_with_codes(gql, org):
    admin = await gql.login(org)
    cases = [
        ({"kind": "WEBHOOK", "name": "x", "target": "ftp://example.com", "secret": SECRET, "topics": ["case.escalated"]}, "target"),
        ({"kind": "WEBHOOK", "name": "x", "target": "https://example.com/h", "topics": ["case.escalated"]}, "secret"),
        ({"kind": "WEBHOOK", "name": "x", "target": "http://[::1", "secret": SECRET, "topics": ["case.escalated"]}, "target"),
        ({"kind": "EMAIL", "name": "x", "target": "duty@example.com", "topics": ["everything"]}, "topics"),
        ({"kind": "EMAIL", "name": "x", "target": "duty@example.com", "topics": ["case.escalated"], "perMinute": 0}, "perMinute"),
        ({"kind": "EMAIL", "name": "x", "target": "duty@example.com", "topics": ["case.escalated"], "projectId": "bm90LWEtcHJvamVjdA"},
         "projectId"),
    ]
    for value, field in cases:
        body = (await gql(ADD, {"i": value}, token=admin))["data"]["addDeliveryChannel"]
        assert [e["field"] for e in body["errors"]] == [field], (value, body)
    assert (await gql("{ deliveryChannels { id } }", token=admin))["data"]["deliveryChannels"] == []
