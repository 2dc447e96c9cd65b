"""The compiled path for `cases` / `myQueue` answers exactly as strawberry does — same JSON,
same order of keys, same cursors — for every shape of document it takes, and hands every
other document (and every error) to strawberry."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import text

from api.app import create_app
from api.graphql.compiled.case_json import json_build
from api.graphql.compiled.document import plan_for
from tests.api.conftest import REGISTER, case_input
from tests.conftest import add_user, make_org

FULL_NODE = """id number kind severity channel state stateLabel description photos publicArea receivedAt commitmentDue
  overdue waitingOnResident reopenCount reworkLevel brokenPromises satisfaction visitScore autoConfirmed resolvedAt confirmedAt
  category { code name __typename } project { id code name city address households propertyType __typename }
  assignee { id username displayName active __typename } __typename"""

DOCUMENTS = [
    ("{ cases { edges { node { id number } } } }", None),
    ("{ cases(first: 2) { totalCount pageInfo { hasNextPage endCursor __typename } edges { cursor node { %s } __typename } __typename } }"
     % FULL_NODE, None),
    ("query($f: CaseFilter, $n: Int) { a: cases(filter: $f, first: $n) { edges { node { n: number s: state number } } } "
     "b: cases(first: 1) { totalCount } __typename }", {"f": {"states": ["DISPATCHED", "RECEIVED"]}, "n": 3}),
    ("query($p: ID!) { cases(filter: {projectId: $p, overdue: false}) { edges { node { number assignee { displayName } } } "
     "edges { node { project { code } } } } }", "project"),
    ('{ cases(filter: {category: "public_area", kind: REQUEST, severity: GENERAL}) { totalCount edges { node { number } } } }', None),
    ("query($f: CaseFilter) { cases(filter: $f) { totalCount edges { node { number receivedAt } } } }",
     {"f": {"receivedFrom": "2020-01-01T00:00:00+08:00", "receivedBefore": "2100-01-01T00:00:00Z"}}),
    ('{ cases(filter: {receivedBefore: "2020-01-01T00:00:00+08:00"}) { totalCount edges { node { number } } } }', None),
    ("{ myQueue { totalCount edges { node { number state } } pageInfo { hasNextPage } } }", None),
    ("query Named { cases(first: 0) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } } }", None),
    # 51 keys in one object: past json_build_object's 100 arguments.
    ("{ cases(first: 2) { edges { node { %s %s } } } }" % (FULL_NODE, " ".join(f"n{i}: number" for i in range(25))), None),
]


@pytest.fixture
async def slow(platform):
    app = create_app(platform, None, instrument=False, compiled=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


async def _both(client, slow, token, query, variables=None):
    body = {"query": query, "variables": variables or {}}
    headers = {"authorization": f"Bearer {token}"}
    fast = await client.post("/graphql", json=body, headers=headers)
    reference = await slow.post("/graphql", json=body, headers=headers)
    assert fast.status_code == reference.status_code, (fast.text, reference.text)
    # Parsed with key order kept: the compiled JSON must be the same document, not just equal sets.
    assert list(_pairs(fast.text)) == list(_pairs(reference.text)), (fast.text[:800], reference.text[:800])
    return fast.json()


def _pairs(text):
    return json.dumps(json.loads(text, object_pairs_hook=list), ensure_ascii=False)


async def _cases(gql, desk, n=5):
    agent, sup, tech_id = desk["agent"][1], desk["sup"][1], desk["tech"][0]
    ids = []
    for i in range(n):
        body = await gql(REGISTER, {"i": case_input(desk, description=f"第{i}件")}, token=agent)
        ids.append(body["data"]["registerCase"]["case"]["id"])
    await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": ids[0]}, token=sup)
    await gql("mutation($c: ID!, $a: ID) { dispatchCase(caseId: $c, assigneeId: $a) { errors { code } } }",
              {"c": ids[0], "a": tech_id}, token=sup)
    return ids


async def test_compiled_answers_equal_strawberry_answers(client, slow, gql, desk, org):
    await _cases(gql, desk)
    # A project supervisor, the technician (myQueue) and the company admin (every project).
    for token in (desk["sup"][1], desk["tech"][1], await gql.login(org)):
        for query, variables in DOCUMENTS:
            if variables == "project":
                variables = {"p": desk["project"]}
            assert plan_for(query) is not None, query
            await _both(client, slow, token, query, variables)


async def test_pages_walk_the_same_way(client, slow, gql, desk):
    await _cases(gql, desk, n=7)
    token, after, seen = desk["sup"][1], None, []
    while True:
        page = (await _both(client, slow, token, "query($a: String) { cases(first: 3, after: $a) { pageInfo { hasNextPage endCursor } "
                            "edges { cursor node { number } } } }", {"a": after}))["data"]["cases"]
        seen += [e["node"]["number"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize("query,variables", [
    ("{ cases { edges { node { id } } } viewer { kind } }", None),  # another root field
    ("{ cases { ...F } } fragment F on CaseConnection { totalCount }", None),
    ("{ cases { edges { node { id @include(if: true) } } } }", None),
    ("mutation { __typename }", None),
    ("{ cases(first: 500) { totalCount } }", None),  # an error: strawberry words it
    ('{ cases(after: "bm90IGEgY3Vyc29y") { totalCount } }', None),
    ('{ cases(filter: {projectId: "bad"}) { totalCount } }', None),
    ("query($n: Int) { cases(first: $n) { totalCount } }", {"n": "many"}),
    ("{ cases { edges { node { nope } } } }", None),
    ("{ cases(first: 1) { a: edges { node { id } } b: edges { node { number } } } }", None),  # one edge object per row
    ('{ cases(filter: {text: "a\\u0000b"}) { totalCount } }', None),  # PostgreSQL cannot take a NUL
    ('{ cases(after: "YzE6\\u0000") { totalCount } }', None),
    ('{ cases(filter: {receivedFrom: "2026-12-01T00:00:00"}) { totalCount } }', None),  # no offset: strawberry refuses it
    ("query($f: CaseFilter) { cases(filter: $f) { totalCount } }", {"f": {"receivedBefore": "soon"}}),
])
async def test_everything_else_gets_strawberrys_answer(client, slow, gql, desk, query, variables):
    await _cases(gql, desk, n=1)
    await _both(client, slow, desk["sup"][1], query, variables)


async def test_anonymous_and_forbidden_callers_get_strawberrys_errors(client, slow, desk):
    for token in ("", "garbage", desk["agent"][1]):  # an agent has no queue of work of their own
        body = await _both(client, slow, token, "{ myQueue { totalCount } }")
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")


async def test_another_company_sees_none_of_it_on_either_path(client, slow, gql, desk, owner_engine):
    await _cases(gql, desk, n=3)
    other = await make_org(owner_engine)
    await add_user(owner_engine, other, "sup2", "cs_supervisor", "P1")
    token = await gql.login(other, "sup2")
    body = await _both(client, slow, token, "{ cases { totalCount edges { node { id } } } myQueue { totalCount } }")
    assert body["data"]["cases"] == {"totalCount": 0, "edges": []} and body["data"]["myQueue"]["totalCount"] == 0


async def test_a_nul_in_a_literal_gets_strawberrys_coded_error(client, slow, desk):
    body = await _both(client, slow, desk["sup"][1], '{ cases(filter: {text: "a\\u0000b"}) { totalCount } }')
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_edges_under_two_keys_each_print_their_own_selection(client, slow, gql, desk):
    await _cases(gql, desk, n=1)
    body = await _both(client, slow, desk["sup"][1], "{ cases(first: 1) { a: edges { node { id } } b: edges { node { number } } } }")
    assert list(body["data"]["cases"]["a"][0]["node"]) == ["id"] and list(body["data"]["cases"]["b"][0]["node"]) == ["number"]


async def test_objects_wider_than_fifty_keys_keep_every_key_in_order(owner_engine):
    pairs = [f"'k{i}', {i}" for i in range(120)]  # three chunks of json_build_object
    async with owner_engine.connect() as conn:
        built = (await conn.execute(text(f"SELECT {json_build(pairs)}::text"))).scalar_one()
    assert json.loads(built, object_pairs_hook=list) == [(f"k{i}", i) for i in range(120)]


@pytest.mark.parametrize("headers,body", [
    ({}, {"query": "{ cases { totalCount } }", "extensions": 5}),
    ({"content-type": 'text/plain; note="application/json"'}, {"query": "{ cases { totalCount } }"}),
    ({"accept": "text/event-stream"}, {"query": "{ cases { totalCount } }"}),
])
async def test_a_body_strawberry_refuses_is_refused_alike(client, slow, desk, headers, body):
    headers = {"content-type": "application/json", "authorization": f"Bearer {desk['sup'][1]}", **headers}
    fast = await client.post("/graphql", content=json.dumps(body), headers=headers)
    reference = await slow.post("/graphql", content=json.dumps(body), headers=headers)
    assert (fast.status_code, _pairs(fast.text)) == (reference.status_code, _pairs(reference.text))


@pytest.mark.parametrize("query,variables", [
    ("{ cases(orderBy: TIME_LEFT, first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { number } } } }", None),
    ("query($o: CaseOrder) { cases(orderBy: $o) { edges { cursor node { id } } } }", {"o": "NUMBER"}),
    ("query($o: CaseOrder) { cases(orderBy: $o) { edges { cursor node { id } } } }", {"o": "RECEIVED_NEWEST"}),
    ("{ myQueue(orderBy: TIME_LEFT) { totalCount edges { cursor node { number } } } }", None),
])
async def test_another_order_goes_to_strawberry_and_answers_alike(client, slow, gql, desk, query, variables):
    await _cases(gql, desk, n=3)
    assert plan_for(query) is None
    for token in (desk["sup"][1], desk["tech"][1]):
        await _both(client, slow, token, query, variables)


async def test_a_compiled_cursor_continues_the_default_order_on_strawberry(client, slow, gql, desk):
    await _cases(gql, desk, n=4)
    token = desk["sup"][1]
    first = await _both(client, slow, token, "{ cases(first: 2) { pageInfo { endCursor } } }")
    after = first["data"]["cases"]["pageInfo"]["endCursor"]
    query = "query($a: String, $o: CaseOrder) { cases(first: 2, after: $a, orderBy: $o) { edges { node { number } } } }"
    unordered = "query($a: String) { cases(first: 2, after: $a) { edges { node { number } } } }"
    compiled = await _both(client, slow, token, unordered, {"a": after})
    ordered = await _both(client, slow, token, query, {"a": after, "o": "RECEIVED_NEWEST"})
    assert compiled["data"] == ordered["data"] and len(ordered["data"]["cases"]["edges"]) == 2
    refused = await _both(client, slow, token, query, {"a": after, "o": "TIME_LEFT"})
    assert refused["errors"][0]["extensions"]["code"] == "VALIDATION"
