"""Signed messages go only to public addresses, checked when sending: a name that resolves into
our own network, or to the cloud's metadata address, is refused and logged as a failed attempt;
and the connection goes to the address that was checked, not to a second lookup of the name."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from sqlalchemy import text

from domain.notifications.channels import ChannelKind
from tests.api.test_delivery_log import direct
from tests.workers.test_delivery import Receiver
from workers import pinned, runtime
from workers.relay import relay_all
from workers.senders import DeliveryFailed, Outgoing, send

# Names of our own for these tests, resolved by the resolver hook rather than by /etc/hosts.
NAMES = {"hooks.example.test": ["127.0.0.1"], "metadata.example.test": ["169.254.169.254"],
         "cgnat.example.test": ["100.64.1.1"], "mixed.example.test": ["8.8.8.8", "10.0.0.5"],
         "mapped.example.test": ["::ffff:127.0.0.1"], "receiver.example.test": ["127.0.0.1"]}


@pytest.fixture
def names(monkeypatch):
    looked_up: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        looked_up.append(host)
        return NAMES[host] if host in NAMES else await pinned.system_resolver(host, port)

    monkeypatch.setattr(pinned, "resolver", resolve)
    return looked_up


@pytest.fixture
def receiver():
    r = Receiver(fail_first=0)
    yield r
    r.server.shutdown()
    r.server.server_close()


def webhook(target: str) -> Outgoing:
    return Outgoing(delivery_id=str(uuid.uuid4()), kind=ChannelKind.WEBHOOK, target=target, secret="whsec-0123456789abcdef",
                    topic="case.escalated", title="一级升级", body="…", data={}, event_id=str(uuid.uuid4()))


async def test_names_resolving_to_our_own_addresses_are_refused_when_sending(settings, names, receiver):
    strict = settings.model_copy(update={"allow_loopback_deliveries": False})
    port = receiver.server.server_address[1]
    targets = {
        f"http://localhost:{port}/hook": "localhost",
        f"http://2130706433:{port}/hook": "127.0.0.1",  # 127.0.0.1 as one decimal number
        f"https://hooks.example.test:{port}/hook": "127.0.0.1",
        "https://metadata.example.test/latest/meta-data": "169.254.169.254",
        "https://cgnat.example.test/hook": "100.64.1.1",
        "https://mixed.example.test/hook": "10.0.0.5",  # one bad address among good ones is enough
        f"https://mapped.example.test:{port}/hook": "resolves to 127.0.0.1",
        "https://100.64.0.1/hook": "100.64.0.1",
    }
    for target, shown in targets.items():
        with pytest.raises(DeliveryFailed) as failed:
            await send(webhook(target), strict)
        assert "not a public address" in str(failed.value) and shown in str(failed.value), (target, str(failed.value))
    assert receiver.requests == []


async def test_the_connection_goes_to_the_checked_address_with_the_name_kept(settings, names, receiver):
    """`receiver.example.test` exists only in the hook: reaching the receiver proves no second
    lookup happened (which a rebinding name would answer differently)."""
    port = receiver.server.server_address[1]
    assert await send(webhook(f"http://receiver.example.test:{port}/hook"), settings) == 200
    assert names == ["receiver.example.test"]
    [request] = receiver.requests
    assert request["path"] == "/hook" and request["headers"]["host"] == f"receiver.example.test:{port}"


async def test_a_refused_send_is_logged_as_a_failed_attempt_with_its_reason(
        org, owner_engine, platform, settings, db_urls, stub_worker, names):
    runtime.configure(settings.model_copy(update={"allow_loopback_deliveries": False}), db_urls)
    try:
        delivery = await direct(platform, org, org.projects["P1"], "webhook", "https://hooks.example.test/hook", uuid.uuid4())

        async def attempted() -> bool:
            async with owner_engine.connect() as conn:
                return (await conn.execute(text("SELECT count(*) FROM delivery_attempts WHERE delivery_id = :d"),
                                           {"d": delivery})).scalar_one() > 0

        # Not `pump`: the refused send is retried with backoff like any failure, so the queue stays busy.
        await relay_all(platform, stub_worker)
        deadline = time.monotonic() + 30
        while not await attempted():
            assert time.monotonic() < deadline, "no attempt was logged"
            await asyncio.sleep(0.2)
    finally:
        runtime.configure(settings, db_urls)
    async with owner_engine.connect() as conn:
        attempt = (await conn.execute(text("SELECT ok, error FROM delivery_attempts WHERE delivery_id = :d ORDER BY at LIMIT 1"),
                                      {"d": delivery})).one()
        status = (await conn.execute(text("SELECT status, last_error FROM deliveries WHERE id = :d"), {"d": delivery})).one()
    assert attempt.ok is False
    assert attempt.error == "refused: hooks.example.test resolves to 127.0.0.1, which is not a public address"
    assert status.status != "sent" and status.last_error == attempt.error
