"""Limits on guessing passwords and API keys: by source address and by account or key prefix,
shared by every API process, expiring, and never a way for a stranger to lock out an account's
owner or to learn which accounts exist."""

from __future__ import annotations

from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy import text

from api.app import create_app
from tenants.auth import throttle
from tenants.auth.throttle import Rule
from tenants.platform import Platform
from tests.api._bad_input import VIEWER, gql, token_of
from tests.conftest import PASSWORD

SIGN_IN = "mutation($i: LoginInput!) { login(input: $i) { accessToken errors { code message retryAfter } } }"
ADMIN_KEY = 'mutation { createApiKey(input: {name: "集成"}) { apiKey { prefix } secret } }'


@asynccontextmanager
async def from_address(app, address: str):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)),
                                 base_url="http://test") as c:
        yield c


@asynccontextmanager
async def two_api_processes(settings, db_urls):
    """Two apps with their own platforms (pools, caches): what two API processes share is the database."""
    first, second = Platform.create(settings, db_urls), Platform.create(settings, db_urls)
    try:
        yield create_app(first, None, instrument=False), create_app(second, None, instrument=False)
    finally:
        await first.close()
        await second.close()


@pytest.fixture(autouse=True)
def few_attempts(monkeypatch):
    """The rules with fewer attempts, so a test makes dozens of argon2 checks rather than hundreds;
    windows and blocks are the real ones."""
    for name, attempts in (("LOGIN_ADDRESS", 8), ("LOGIN_PAIR", 3), ("LOGIN_ACCOUNT", 6),
                           ("KEY_ADDRESS", 12), ("KEY_PAIR", 3), ("KEY_PREFIX", 6)):
        rule = getattr(throttle, name)
        monkeypatch.setattr(throttle, name, Rule(rule.name, attempts, rule.window_seconds, rule.block_seconds))


async def sign_in(client, org, username: str, password: str) -> tuple[str | None, dict | None]:
    """(access token, the one error as code, message and retryAfter)."""
    payload = (await gql(client, SIGN_IN, {"i": {"organization": org.slug, "username": username, "password": password}})).data["login"]
    assert len(payload["errors"]) == (0 if payload["accessToken"] else 1), payload
    return payload["accessToken"], (payload["errors"] or [None])[0]


async def end_every_block(owner_engine) -> None:
    """As if the windows and blocks had run out."""
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE auth_throttle SET window_ends = now() - interval '1 second', "
                                "blocked_until = now() - interval '1 second' WHERE blocked_until IS NOT NULL OR failures > 0"))


async def test_a_stranger_cannot_lock_the_owner_out_and_unknown_accounts_answer_alike(settings, db_urls, org, owner_engine):
    async with two_api_processes(settings, db_urls) as (one, two), from_address(one, "198.51.100.7") as stranger_1, \
            from_address(two, "198.51.100.7") as stranger_2, from_address(two, "203.0.113.9") as owner:
        answers = {}
        for username in ("admin", "nobody"):
            for attempt in range(3):  # alternating between the two processes: one count
                token, error = await sign_in((stranger_1, stranger_2)[attempt % 2], org, username, "wrong-password")
                assert token is None and error["code"] == "UNAUTHENTICATED", (username, attempt, error)
            token, error = await sign_in(stranger_1, org, username, PASSWORD)
            assert token is None and error["code"] == "RATE_LIMITED", (username, error)
            assert 0 < error["retryAfter"] <= 900
            answers[username] = (error["code"], error["message"])
        # An unknown account is limited exactly like a real one: nothing tells them apart.
        assert answers["admin"] == answers["nobody"]
        assert "try again in 15 minutes" in answers["admin"][1]
        # The owner, elsewhere, signs in as ever.
        token, error = await sign_in(owner, org, "admin", PASSWORD)
        assert token and error is None
        # The stranger's block runs out.
        await end_every_block(owner_engine)
        token, error = await sign_in(stranger_2, org, "admin", PASSWORD)
        assert token and error is None


async def test_many_addresses_guessing_one_account_are_stopped_but_not_where_its_owner_signs_in(platform, org, owner_engine):
    app = create_app(platform, None, instrument=False)
    async with from_address(app, "203.0.113.20") as owner:
        assert (await sign_in(owner, org, "admin", PASSWORD))[0]
        for i in range(6):
            async with from_address(app, f"198.51.100.{i + 101}") as guesser:
                assert (await sign_in(guesser, org, "admin", f"guess-{i}"))[1]["code"] == "UNAUTHENTICATED"
        async with from_address(app, "198.51.100.200") as another:
            token, error = await sign_in(another, org, "admin", PASSWORD)
            assert token is None and error["code"] == "RATE_LIMITED"
        token, error = await sign_in(owner, org, "admin", PASSWORD)
        assert token and error is None
    await end_every_block(owner_engine)


async def test_one_address_guessing_many_accounts_is_stopped(platform, org, owner_engine):
    app = create_app(platform, None, instrument=False)
    async with from_address(app, "2001:db8:77::1") as sprayer, from_address(app, "2001:db8:77::2") as same_net, \
            from_address(app, "203.0.113.30") as elsewhere:
        for i in range(8):
            assert (await sign_in(sprayer, org, f"user{i}", "Spring2026!"))[1]["code"] == "UNAUTHENTICATED"
        # The whole /64 is one source: a host changing its address within it gains nothing.
        token, error = await sign_in(same_net, org, "admin", PASSWORD)
        assert token is None and error["code"] == "RATE_LIMITED"
        assert (await sign_in(elsewhere, org, "admin", PASSWORD))[0]
    await end_every_block(owner_engine)


async def test_wrong_key_secrets_are_limited_per_prefix_and_address_without_locking_out_the_integrator(
        client, settings, db_urls, org, owner_engine):
    created = (await gql(client, ADMIN_KEY, token=await token_of(client, org))).data["createApiKey"]
    key, prefix = created["secret"], created["apiKey"]["prefix"]
    secret = key.split(".", 1)[1]
    async with two_api_processes(settings, db_urls) as (one, two), from_address(one, "198.51.100.50") as guesser_1, \
            from_address(two, "198.51.100.50") as guesser_2, from_address(two, "203.0.113.50") as integrator:
        for made_up in (prefix, "fc_" + "q" * 10):  # a prefix that exists and one that does not: the same
            for attempt in range(3):
                reply = await gql((guesser_1, guesser_2)[attempt % 2], VIEWER, api_key=f"{made_up}.{'A' * (len(secret) - 1)}{attempt}")
                assert reply.codes == {"UNAUTHENTICATED"}, (made_up, attempt)
            reply = await gql(guesser_1, VIEWER, api_key=f"{made_up}.{'B' * len(secret)}")
            assert reply.data is None and reply.codes == {"RATE_LIMITED"}, made_up
            assert 0 < reply.errors[0]["extensions"]["retryAfter"] <= 300
        # The guesser's address may not use even the right key for a while; the integrator may.
        assert (await gql(guesser_2, VIEWER, api_key=key)).codes == {"RATE_LIMITED"}
        assert (await gql(integrator, VIEWER, api_key=key)).data["viewer"]["kind"] == "API_KEY"
        # Many addresses guessing one prefix: stopped, yet the right key still works from anywhere.
        for i in range(4):
            async with from_address(one, f"192.0.2.{i + 1}") as other:
                await gql(other, VIEWER, api_key=f"{prefix}.{'C' * len(secret)}")
        async with from_address(one, "192.0.2.100") as late:
            assert (await gql(late, VIEWER, api_key=f"{prefix}.{'D' * len(secret)}")).codes == {"RATE_LIMITED"}
            assert (await gql(late, VIEWER, api_key=key)).data["viewer"]["kind"] == "API_KEY"
    await end_every_block(owner_engine)
