"""A database that cannot serve a request — out of connections, restarting, unreachable — is told
to the client as UNAVAILABLE with a retry time, never INTERNAL: the request did nothing and the
same request may succeed in a moment. The errors here are the real ones asyncpg raises."""

from __future__ import annotations

import socket
import uuid

import asyncpg
import pytest
from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError

from api.graphql.extensions import with_codes
from tenants.db_errors import unavailable
from tenants.errors import PlatformCode

DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _refused_by_limit() -> BaseException:
    """A role allowed no connections: PostgreSQL's own 53300, as when max_connections is reached."""
    role = f"fc_nolimit_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(DSN)
    try:
        await admin.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0")
        try:
            await asyncpg.connect(f"postgresql://{role}@127.0.0.1:5432/postgres")
        except BaseException as e:  # noqa: BLE001 — the error under test
            return e
        raise AssertionError("a role with CONNECTION LIMIT 0 connected")
    finally:
        await admin.execute(f"DROP ROLE IF EXISTS {role}")
        await admin.close()


async def test_out_of_connections_and_unreachable_are_unavailable():
    full = await _refused_by_limit()
    assert getattr(full, "sqlstate", None) == "53300"
    try:
        await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{_closed_port()}/postgres", timeout=5)
    except BaseException as e:  # noqa: BLE001
        refused = e
    for error in (full, refused, DBAPIError("SELECT 1", {}, full)):
        busy = unavailable(error)
        assert busy is not None and busy.code is PlatformCode.UNAVAILABLE and busy.retry_after == 1, error
        assert busy.message.startswith("服务繁忙") and "Try again" in busy.message

    # Through the API's error coding, as a resolver meeting it would be reported.
    [coded] = with_codes([GraphQLError("boom", path=["cases"], original_error=full)])
    assert coded.extensions == {"code": "UNAVAILABLE", "retryAfter": 1}


@pytest.mark.parametrize("error", [ValueError("a bug"), KeyError("x"), DBAPIError("SELECT 1", {}, Exception("23505?"))])
def test_anything_else_stays_our_own_error(error):
    assert unavailable(error) is None
    [coded] = with_codes([GraphQLError("boom", path=["cases"], original_error=error)])
    assert coded.extensions == {"code": "INTERNAL"}
