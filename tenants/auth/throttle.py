"""Limits on failed sign-ins and API-key attempts, counted in PostgreSQL so that every API process
sees the same counts, and forgotten when their window passes.

An attempt is counted against its source address, its (account or key prefix, address) pair and
the account or prefix alone. The address and pair limits stop one source guessing. The account's
own limit stops many sources guessing one account — but an address the account signed in from
lately is exempt from it, so a stranger who trips it does not lock the account's owner out.
Everything is keyed by what was typed, not by what exists: an unknown account is counted,
limited and answered exactly like a real one."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.auth.errors import AuthError, rate_limited
from tenants.auth.tokens import TokenSigner


@dataclass(frozen=True)
class Rule:
    name: str
    max_failures: int  # within the window; the next attempt is refused
    window_seconds: int
    block_seconds: int


LOGIN_ADDRESS = Rule("login-address", 50, 900, 900)
LOGIN_PAIR = Rule("login-pair", 10, 900, 900)
LOGIN_ACCOUNT = Rule("login-account", 50, 3600, 3600)
KEY_ADDRESS = Rule("key-address", 60, 300, 300)
KEY_PAIR = Rule("key-pair", 10, 300, 300)
KEY_PREFIX = Rule("key-prefix", 50, 900, 900)
KNOWN_DAYS = 30


@dataclass(frozen=True)
class Guard:
    """The counters one attempt touches; keys are HMACs, so the table never holds a name."""

    address: bytes
    pair: bytes
    subject: bytes
    known: bytes  # set when the subject succeeded from this address
    rules: tuple[Rule, Rule, Rule]  # of address, pair, subject
    what: str  # for the message: "sign-in" or "API-key"


def login_guard(signer: TokenSigner, organization: str, username: str, address: str) -> Guard:
    subject = f"{organization.strip().lower()}\0{username.strip().lower()}"
    return _guard(signer, "login", subject, address, (LOGIN_ADDRESS, LOGIN_PAIR, LOGIN_ACCOUNT), "sign-in")


def key_guard(signer: TokenSigner, prefix: str, address: str) -> Guard:
    return _guard(signer, "key", prefix, address, (KEY_ADDRESS, KEY_PAIR, KEY_PREFIX), "API-key")


def _guard(signer: TokenSigner, scope: str, subject: str, address: str, rules: tuple[Rule, Rule, Rule], what: str) -> Guard:
    def key(*parts: str) -> bytes:
        return signer.hash_secret("\0".join(("throttle", scope, *parts)))

    return Guard(key("address", address), key("pair", subject, address), key("subject", subject),
                 key("known", subject, address), rules, what)


# Read-only, for a caller that checks first and counts only failures (API keys, whose right
# secret cannot be guessed): seconds the source must wait, 0 when it may try now. Meant to be
# selected beside another value, so the check costs no statement of its own.
WAIT_SQL = (
    "(SELECT coalesce(ceil(extract(epoch FROM max(blocked_until) - now())), 0)::int FROM auth_throttle "
    " WHERE key = ANY(CAST(:throttle_keys AS bytea[])) AND blocked_until > now())"
)
# Counts one attempt against each key and answers, in the same statement, how long the caller
# must wait (0: go ahead). Counting before the password is checked makes a burst of concurrent
# guesses count as many attempts, not as one. Once a key has had its attempts in the window, the
# next one starts its block; attempts during a block are refused and not counted. The subject's
# key is left alone for an address the subject signed in from lately.
_ATTEMPT = text(
    "WITH hit AS ("
    " INSERT INTO auth_throttle AS t (key, failures, window_ends, max_failures, block_seconds, expires_at) "
    " SELECT k, 1, now() + make_interval(secs => w), m, b, now() + make_interval(secs => greatest(w, b)) "
    " FROM unnest(CAST(:keys AS bytea[]), CAST(:max AS int[]), CAST(:win AS int[]), CAST(:blk AS int[])) AS u(k, m, w, b) "
    " WHERE k <> :subject OR NOT EXISTS (SELECT 1 FROM auth_throttle WHERE key = :known AND expires_at > now()) "
    " ON CONFLICT (key) DO UPDATE SET "
    "  failures = CASE WHEN t.blocked_until > now() THEN t.failures WHEN t.window_ends > now() THEN t.failures + 1 ELSE 1 END, "
    "  window_ends = CASE WHEN t.blocked_until > now() OR t.window_ends > now() THEN t.window_ends "
    "    ELSE EXCLUDED.window_ends END, "
    "  blocked_until = CASE WHEN t.blocked_until > now() THEN t.blocked_until "
    "    WHEN t.window_ends > now() AND t.failures >= EXCLUDED.max_failures "
    "    THEN now() + make_interval(secs => EXCLUDED.block_seconds) ELSE t.blocked_until END, "
    "  expires_at = greatest(t.expires_at, EXCLUDED.expires_at, now() + make_interval(secs => EXCLUDED.block_seconds)) "
    " RETURNING blocked_until) "
    "SELECT coalesce(ceil(extract(epoch FROM max(blocked_until) - now())), 0)::int FROM hit WHERE blocked_until > now()"
)
# Rows whose window and block have passed count as absent already; this only keeps the table small.
_FORGET = text("DELETE FROM auth_throttle WHERE ctid = ANY(ARRAY("
               "SELECT ctid FROM auth_throttle WHERE expires_at < now() LIMIT 100))")
# A good sign-in gives back the attempt it counted (an office of colleagues shares one address),
# clears the pair and remembers the address for the account.
_SUCCEEDED = text(
    "WITH cleared AS (DELETE FROM auth_throttle WHERE key = :pair), "
    " returned AS (UPDATE auth_throttle SET failures = failures - 1 "
    "  WHERE key IN (:address, :subject) AND failures > 0 AND NOT coalesce(blocked_until > now(), false)) "
    "INSERT INTO auth_throttle (key, failures, window_ends, max_failures, block_seconds, expires_at) "
    "VALUES (:known, 0, now(), 0, 0, now() + make_interval(days => :days)) "
    "ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at"
)


def wait_params(guard: Guard) -> dict[str, list[bytes]]:
    return {"throttle_keys": [guard.address, guard.pair]}


async def attempt(conn: AsyncConnection, guard: Guard) -> int:
    """Counts the attempt; the seconds to wait if it is refused, else 0."""
    wait: int = (await conn.execute(_ATTEMPT, {
        "keys": [guard.address, guard.pair, guard.subject], "max": [r.max_failures for r in guard.rules],
        "win": [r.window_seconds for r in guard.rules], "blk": [r.block_seconds for r in guard.rules],
        "subject": guard.subject, "known": guard.known})).scalar_one()
    await conn.execute(_FORGET)
    return wait


async def succeeded(conn: AsyncConnection, guard: Guard) -> None:
    await conn.execute(_SUCCEEDED, {"pair": guard.pair, "address": guard.address, "subject": guard.subject,
                                    "known": guard.known, "days": KNOWN_DAYS})


def too_many(guard: Guard, seconds: int) -> AuthError:
    """The one answer to a limited attempt, whether the account or key exists or not."""
    minutes = seconds > 90
    wait = f"{math.ceil(seconds / 60)} minutes" if minutes else f"{seconds} seconds"
    wait_zh = f"{math.ceil(seconds / 60)} 分钟" if minutes else f"{seconds} 秒"
    return rate_limited(f"失败次数过多，请 {wait_zh} 后再试。Too many failed {guard.what} attempts; try again in {wait}.",
                        retry_after=seconds)
