"""Validation is the CPU a stranger can make the server spend (graphql-core's overlapping-fields
rule is quadratic): anonymous callers are refused before it, every document is bounded before it,
and it runs off the event loop, so /healthz keeps answering."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from graphql import ValidationRule, parse, specified_rules

from api.app import create_app
from api.graphql.admission import MAX_FIELDS, MAX_FRAGMENTS, MAX_REPEATS, validated
from api.graphql.schema import schema
from tenants.platform import Platform


def flood(marker: str = "") -> str:
    """The reported document: 490 × `viewer { kind }` (7.9 KB), made unique by an operation name."""
    return f"query Flood{marker} {{ " + " ".join(["viewer { kind }"] * 490) + " }"


def reply_of(r: httpx.Response) -> tuple[object, list[tuple[str, str]]]:
    assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text[:500]
    body = r.json()
    return body["data"], [(e["extensions"]["code"], e["message"]) for e in body.get("errors", [])]


async def test_an_anonymous_flood_is_refused_as_unauthenticated_without_validating_it(client):
    # An unknown field too: were the document validated, that would be the answer.
    r = await client.post("/graphql", json={"query": flood().replace("{ viewer", "{ noSuchField viewer", 1)})
    data, errors = reply_of(r)
    assert data is None and errors == [("UNAUTHENTICATED", "请先登录或提供 API 密钥，再使用「noSuchField」。"
                                                                  "Log in, or send an API key, to use `noSuchField`.")]
    # A bad token says what is wrong with it instead.
    r = await client.post("/graphql", json={"query": flood()}, headers={"authorization": "Bearer not-a-token"})
    assert [code for code, _ in reply_of(r)[1]] == ["UNAUTHENTICATED"]


async def test_anonymous_callers_may_still_log_in(client, org, gql):
    assert await gql.login(org)
    data, _ = reply_of(await client.post("/graphql", json={"query": "{ __typename }"}))
    assert data == {"__typename": "Query"}


async def test_an_authenticated_flood_is_refused_by_the_bounds_with_what_to_change(client, org, gql):
    headers = {"authorization": f"Bearer {await gql.login(org)}"}

    async def codes(query: str) -> tuple[object, list[tuple[str, str]]]:
        return reply_of(await client.post("/graphql", json={"query": query}, headers=headers))

    assert await codes(flood()) == (None, [("QUERY_TOO_COMPLEX",
                                           f"文档选取的字段超过 {MAX_FIELDS} 个，请拆分为多个请求。"
                                           f"The document selects more than {MAX_FIELDS} fields; split it into several requests.")])
    repeated = "{ viewer { " + " ".join(["kind"] * (MAX_REPEATS + 1)) + " } }"
    assert await codes(repeated) == (None, [("QUERY_TOO_COMPLEX", f"「kind」在同一选择集中被选取超过 {MAX_REPEATS} 次，"
                                                                 "请只选取一次并列出所需的全部字段。"
                                                                 f"`kind` is selected more than {MAX_REPEATS} times in one "
                                                                 "selection set; select it once with all the fields you need.")])
    n = MAX_FRAGMENTS + 1
    fragments = "{ " + " ".join(f"...F{i}" for i in range(n)) + " } " + " ".join(
        f"fragment F{i} on Query {{ viewer {{ kind }} }}" for i in range(n))
    assert await codes(fragments) == (None, [("QUERY_TOO_COMPLEX", f"文档定义了 {n} 个片段，最多允许 {MAX_FRAGMENTS} 个。"
                                                                   f"The document defines {n} fragments; at most "
                                                                   f"{MAX_FRAGMENTS} are allowed.")])
    # At the bounds, documents are answered.
    at_bounds = "{ " + " ".join(f"...F{i}" for i in range(MAX_FRAGMENTS)) + " viewer { " + " ".join(["kind"] * MAX_REPEATS) + " } } " + \
        " ".join(f"fragment F{i} on Query {{ viewer {{ kind }} }}" for i in range(MAX_FRAGMENTS))
    assert await codes(at_bounds) == ({"viewer": {"kind": "USER"}}, [])


async def test_validation_runs_off_the_event_loop():
    threads: list[int] = []

    class Where(ValidationRule):
        def __init__(self, context) -> None:
            super().__init__(context)
            threads.append(threading.get_ident())

    document = parse(f"{{ viewer {{ kind }} organization {{ slug }} }} # {uuid.uuid4()}")
    rules = (*specified_rules, Where)
    assert await validated(schema._schema, document, rules) == []
    assert threads and threads[0] != threading.get_ident()
    assert await validated(schema._schema, document, rules) == [] and len(threads) == 1  # seen before: not again


@pytest.fixture
def server_of_its_own(settings, db_urls) -> Iterator[str]:
    """The app under uvicorn on a loop and thread of its own: a client on the test's loop then
    sees how long the server's loop is held."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = create_app(Platform.create(settings, db_urls), None, instrument=False)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", http="httptools"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)


async def test_healthz_answers_while_floods_are_processed(org, gql, server_of_its_own):
    """Three floods at once (one anonymous, two authenticated) used to hold the event loop for
    seconds each; /healthz now answers beside them."""
    headers = {"authorization": f"Bearer {await gql.login(org)}"}
    async with httpx.AsyncClient(base_url=server_of_its_own, timeout=60) as c:
        pending = [asyncio.ensure_future(c.post("/graphql", json={"query": flood(str(i))}, headers=headers if i else {}))
                   for i in range(3)]
        await asyncio.sleep(0.2)  # the floods are in
        started = time.monotonic()
        health = await c.get("/healthz")
        waited = time.monotonic() - started
        answers = await asyncio.gather(*pending)
    assert health.json() == {"status": "ok"}
    assert waited < 1.0, waited  # generous: each flood alone held the loop ~1.5 s before
    assert [reply_of(a)[1][0][0] for a in answers] == ["UNAUTHENTICATED", "QUERY_TOO_COMPLEX", "QUERY_TOO_COMPLEX"]
