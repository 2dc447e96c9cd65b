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
from graphql import OperationDefinitionNode, ValidationRule, parse, specified_rules

from api.app import create_app
from api.graphql.admission import MAX_FIELDS, MAX_FRAGMENTS, MAX_REPEATS, validated
from api.graphql.cost import MAX_COST, cost_of
from api.graphql.schema import schema
from api.graphql.types.node import to_global_id
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


@pytest.mark.serial  # a bound of one second on /healthz's answer: other tests' CPU beside it would be measured too
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


async def test_costly_documents_are_refused_with_their_cost(client, org, gql):
    """After the bounds and validation, each operation is weighed (api/graphql/cost.py):
    connections of a hundred inside connections of a hundred, or thirty aliases of a page of a
    hundred cases, are refused before anything runs, with the cost and the limit."""
    headers = {"authorization": f"Bearer {await gql.login(org)}"}
    project = to_global_id("Project", org.projects["P1"])

    async def ask(query: str, variables: dict | None = None) -> dict:
        r = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        assert r.status_code == 200, r.text[:500]
        return r.json()

    nested = ('query Nested($p: ID!) { buildings(projectId: $p, first: 100) { edges { node { id name '
              'units(first: 100) { totalCount edges { node { id number floor label vacant occupants { id role } } } } } } } }')
    aliases = ("query Many($n: Int) { " + " ".join(f"a{i}: cases(first: $n) {{ edges {{ node {{ ...Row }} }} }}" for i in range(30))
               + " } fragment Row on Case { id number kind severity channel state stateLabel description publicArea receivedAt "
                 "commitmentDue overdue category { code name } project { id name } assignee { id displayName } }")
    big = "query Big($n: Int) { cases(first: $n) { edges { node { id number } } } }"  # one the compiled path would take
    for query, variables in ((nested, {"p": project}), (aliases, {"n": 100})):
        document = parse(query)
        operation = document.definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        expected = cost_of(schema._schema, document, operation, variables)
        assert expected is not None and expected > MAX_COST
        body = await ask(query, variables)
        assert body["data"] is None and body["errors"] == [{
            "message": f"查询的开销为 {expected}，超过上限 {MAX_COST}：请减少 first 或所选字段，或拆分为多个请求。"
                       f"The query costs {expected}, over the limit of {MAX_COST}; ask for fewer items (first) or fields, "
                       "or split it into several requests.",
            "extensions": {"code": "QUERY_TOO_COMPLEX", "cost": expected, "maxCost": MAX_COST}}]
    # The same documents with smaller pages run.
    body = await ask(aliases, {"n": 2})
    assert body.get("errors") is None and set(body["data"]) == {f"a{i}" for i in range(30)}
    # A page larger than any field serves is weighed as the largest (cost.FIRST_CEILING): the field
    # then refuses it with its own range, which says what to change.
    body = await ask(big, {"n": 30_000})
    assert body["data"] is None and [e["extensions"]["code"] for e in body["errors"]] == ["VALIDATION"], body
    assert "first must be between 0 and 100" in body["errors"][0]["message"]
    body = await ask(big, {"n": 100})
    assert body.get("errors") is None and "edges" in body["data"]["cases"]
    body = await ask(nested.replace("first: 100", "first: 5"), {"p": project})
    assert body.get("errors") is None and body["data"]["buildings"]["edges"] == []


async def test_a_costly_operation_in_a_batch_is_refused_alone(client, org, gql):
    headers = {"authorization": f"Bearer {await gql.login(org)}"}
    costly = ("{ " + " ".join(f"a{i}: alerts(first: 200) {{ id title cases {{ id number description }} }}" for i in range(20)) + " }")
    r = await client.post("/graphql", json=[{"query": costly}, {"query": "{ viewer { kind } }"}], headers=headers)
    refused, answered = r.json()
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert refused["errors"][0]["extensions"]["cost"] == 20 * (1 + 200 * (1 + 1 + 1 + 10 * 3))
    assert answered == {"data": {"viewer": {"kind": "USER"}}}
