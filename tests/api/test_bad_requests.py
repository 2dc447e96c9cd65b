"""Malformed requests get a clear error with a stable code: bodies that are not JSON or too large,
documents that do not parse or validate, batches, query bombs and anonymous introspection. Never
a 500, never a stack trace (tests/api/_bad_input.py `check`)."""

from __future__ import annotations

import json

import pytest

from tests.api._bad_input import CREATE_PROJECT, VIEWER, check, gql, send, token_of

# --- malformed requests -------------------------------------------------------------------------


async def test_malformed_graphql_gets_parse_and_validation_codes(client, org):
    token = await token_of(client, org)
    cases = {
        "{ viewer { kind ": "GRAPHQL_PARSE_FAILED",
        "{ viewer { kind } } }": "GRAPHQL_PARSE_FAILED",
        "query { viewer(: 1) { kind } }": "GRAPHQL_PARSE_FAILED",
        '{ project(id: "unterminated) { id } }': "GRAPHQL_PARSE_FAILED",
        "\u0000": "GRAPHQL_PARSE_FAILED",
        "{ viewer { nope } }": "GRAPHQL_VALIDATION_FAILED",
        "{ nope }": "GRAPHQL_VALIDATION_FAILED",
        "{ viewer }": "GRAPHQL_VALIDATION_FAILED",
        "{ project { id } }": "GRAPHQL_VALIDATION_FAILED",
        "{ projects(first: \"ten\") { totalCount } }": "GRAPHQL_VALIDATION_FAILED",
        "{ projects(first: 99999999999) { totalCount } }": "GRAPHQL_VALIDATION_FAILED",
        "{ projects(bogus: 1) { totalCount } }": "GRAPHQL_VALIDATION_FAILED",
        "query($x: Int) { viewer { kind } }": "GRAPHQL_VALIDATION_FAILED",
        "{ viewer { kind } } fragment Unused on Query { viewer { kind } }": "GRAPHQL_VALIDATION_FAILED",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }": "GRAPHQL_VALIDATION_FAILED",
        "subscription { viewer { kind } }": "GRAPHQL_VALIDATION_FAILED",
        'mutation { createProject(input: {code: "X", name: "x", propertyType: CASTLE}) { errors { code } } }': "GRAPHQL_VALIDATION_FAILED",
    }
    for query, expected in cases.items():
        reply = await gql(client, query, token=token)
        assert reply.data is None and reply.code == expected, (query, reply.text)


async def test_wrong_and_missing_variables_are_validation_failures(client, org):
    token = await token_of(client, org)
    page = "query($n: Int) { projects(first: $n) { totalCount } }"
    for value in ("many", 1.5, [1], {"a": 1}, True, 2**40):
        reply = await gql(client, page, {"n": value}, token=token)
        assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}, value
    reply = await gql(client, "query($id: ID!) { project(id: $id) { id } }", {}, token=token)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}
    reply = await gql(client, CREATE_PROJECT, {"i": {"code": "X"}}, token=token)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}
    reply = await gql(client, CREATE_PROJECT, {"i": {"code": "X", "name": "x", "propertyType": "OFFICE", "extra": 1}}, token=token)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}
    reply = await gql(client, "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
                      {"i": {"name": "k", "expiresAt": "next tuesday"}}, token=token)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}


async def test_bad_http_requests_are_bad_request(client, org):
    token = await token_of(client, org)
    auth = {"authorization": f"Bearer {token}"}
    for raw in (b'{"query": ', b"", b"{", b"not json", b'{"query": "{ viewer { kind } }",}'):
        reply = await send(client, raw=raw, headers=auth, status=400)
        assert reply.code == "BAD_REQUEST", raw
    for body in ({"variables": {}}, {"query": ""}, {"query": None}, {"query": 42}, {"query": ["{ viewer { kind } }"]},
                 {"query": VIEWER, "variables": "{}"}, {"query": VIEWER, "variables": [1]},
                 {"query": VIEWER, "extensions": "x"}, {"query": "query A { viewer { kind } }", "operationName": "B"}):
        reply = await send(client, body, headers=auth, status=400)
        assert reply.code == "BAD_REQUEST", body
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        reply = await send(client, raw=json.dumps({"query": VIEWER}).encode(), headers={**auth, "content-type": content_type},
                           status=400)
        assert reply.code == "BAD_REQUEST", content_type
    for method in ("PUT", "DELETE", "PATCH"):
        reply = await send(client, {"query": VIEWER}, headers=auth, method=method, status=405)
        assert reply.code == "BAD_REQUEST"
    reply = await send(client, method="GET", headers=auth, status=400,
                       params={"query": 'mutation { logout(refreshToken: "x") { ok } }'})
    assert reply.code == "BAD_REQUEST"
    reply = await send(client, method="GET", headers=auth, status=400, params={"query": VIEWER, "variables": "{bad"})
    assert reply.code == "BAD_REQUEST"
    reply = await send(client, method="GET", headers=auth, params={"query": VIEWER})
    assert reply.data == {"viewer": {"kind": "USER"}}


@pytest.mark.parametrize("raw", [b'"a string"', b"42", b"null", b"true", b"[1, 2]", b'[{"query": "{ viewer { kind } }"}, "x"]'],
                         ids=["string", "number", "null", "boolean", "list-of-numbers", "list-with-a-string"])
async def test_json_body_that_is_not_an_object_is_bad_request(client, raw):
    reply = await send(client, raw=raw, status=400)
    assert reply.code == "BAD_REQUEST"


async def test_body_that_is_not_utf8_is_bad_request(client):
    reply = await send(client, raw=b'{"query": "{ viewer { kind } }", "operationName": "\xff\xfe"}', status=400)
    assert reply.code == "BAD_REQUEST"


async def test_deeply_nested_json_body_is_bad_request(client):
    nested = b"[" * 100_000 + b"]" * 100_000
    reply = await send(client, raw=b'{"query": "{ __typename }", "variables": {"v": ' + nested + b"}}", status=400)
    assert reply.code == "BAD_REQUEST"


async def test_batches_are_capped_and_their_items_checked(client, org):
    token = await token_of(client, org)
    auth = {"authorization": f"Bearer {token}"}
    ten = await send(client, [{"query": VIEWER}] * 10, headers=auth)
    assert [item["data"]["viewer"]["kind"] for item in ten.body] == ["USER"] * 10
    for n in (11, 50):
        reply = await send(client, [{"query": VIEWER}] * n, headers=auth, status=400)
        assert reply.code == "BAD_REQUEST", n
    # One bad operation in a batch does not spoil the others, and each error has its code.
    mixed = await send(client, [{"query": VIEWER}, {"query": "{ viewer { kind "}, {"query": "{ nope }"}], headers=auth)
    assert mixed.body[0]["data"]["viewer"]["kind"] == "USER"
    assert mixed.body[1]["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert mixed.body[2]["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_batch_items_of_the_wrong_shape_are_bad_request(client):
    """A single operation whose query is not a string is refused with 400; in a batch it is not."""
    for batch in ([{"query": 123}], [{"query": VIEWER, "variables": "x"}]):
        reply = await send(client, batch, status=400)
        assert reply.code == "BAD_REQUEST", (batch, reply.text)


async def test_oversized_bodies_are_refused(client):
    big = {"query": "{ __typename }", "variables": {"pad": "x" * 1_300_000}}
    reply = await send(client, big, status=413)
    assert reply.code == "BAD_REQUEST" and "at most" in reply.errors[0]["message"]

    async def chunks():  # no Content-Length: counted as it arrives
        for _ in range(13):
            yield b" " * 100_000

    r = await client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    reply = check(r)
    assert reply.status == 413 and reply.code == "BAD_REQUEST"
    for length in ("abc", "-1", "99999999999999999999"):
        r = await client.post("/graphql", content=b"{}", headers={"content-type": "application/json", "content-length": length})
        reply = check(r)
        assert reply.status == 413 and reply.code == "BAD_REQUEST", length
    # Just under the limit is fine.
    ok = await send(client, {"query": "{ __typename }", "variables": {"pad": "x" * 1_000_000}})
    assert ok.data == {"__typename": "Query"}


# --- query bombs --------------------------------------------------------------------------------


async def test_depth_50_is_too_complex(client, org):
    """The schema has no cycle (a project does not lead back to its cases or users), so the deepest
    valid document is far under the limit of 12; a 50-deep one cannot be valid, and the depth rule
    refuses it for its depth whatever else is wrong with it."""
    token = await token_of(client, org)
    deepest = ("{ cases { edges { node { assignee { roles { project { departments { id } } } } } } } "
               "organization { projects { edges { node { staff { id } } } } } }")
    assert (await gql(client, deepest, token=token)).errors == []

    for depth in (13, 50):
        # A real path as far as it goes, then the same selection nested on.
        path = "cases { edges { node { assignee { roles { project { departments { "
        filler = "id { " * (depth - 7)
        doc = "query Deep { " + path + filler + "id" + " }" * (depth - 7) + " }" * 7 + " }"
        reply = await gql(client, doc, token=token)
        assert reply.data is None and "QUERY_TOO_COMPLEX" in reply.codes, (depth, reply.text[:500])
        assert reply.codes <= {"QUERY_TOO_COMPLEX", "GRAPHQL_VALIDATION_FAILED"}
        assert any("maximum operation depth" in e["message"] for e in reply.errors)

    nested = "query Deep { " + "organization { " * 50 + "slug" + " }" * 50 + " }"
    reply = await gql(client, nested, token=token)
    assert reply.data is None and "QUERY_TOO_COMPLEX" in reply.codes
    # Depth hidden in a chain of fragments is still depth.
    chain = "query Deep { ...F0 } " + " ".join(
        f"fragment F{i} on Query {{ organization {{ ...F{i + 1} }} }}" for i in range(49)) + " fragment F49 on Query { __typename }"
    reply = await gql(client, chain, token=token)
    assert reply.data is None and "QUERY_TOO_COMPLEX" in reply.codes
    # Nesting past what the parser accepts at all is a parse failure with its code, not a crash.
    for doc in ("{ " + "a { " * 900 + "b" + " }" * 900 + " }", "{ viewer(a: " + "[" * 990 + "]" * 990 + ") { kind } }"):
        reply = await gql(client, doc, token=token)
        assert reply.data is None and reply.codes == {"GRAPHQL_PARSE_FAILED"}


async def test_aliases_and_tokens_are_capped(client, org):
    token = await token_of(client, org)
    thousand = "{ " + " ".join(f"a{i}: viewer {{ kind }}" for i in range(1000)) + " }"
    reply = await gql(client, thousand, token=token)
    assert reply.data is None and reply.codes == {"QUERY_TOO_COMPLEX"}
    # Under the token limit, the alias limit answers; aliases inside fragments count too.
    for doc in ("{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }",
                "{ ...A } fragment A on Query { " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"):
        reply = await gql(client, doc, token=token)
        assert reply.data is None and reply.codes == {"QUERY_TOO_COMPLEX"} and "aliases" in reply.errors[0]["message"]
    thirty = "{ " + " ".join(f"a{i}: __typename" for i in range(30)) + " }"
    assert len((await gql(client, thirty, token=token)).data) == 30
    tokens = "{ viewer { " + " ".join("kind" for _ in range(100_000)) + " } }"
    reply = await gql(client, tokens, token=token)
    assert reply.data is None and reply.codes == {"QUERY_TOO_COMPLEX"} and "tokens" in reply.errors[0]["message"]
    # The limits hold for anonymous callers too, before anything else is looked at.
    reply = await gql(client, thousand)
    assert reply.data is None and reply.codes == {"QUERY_TOO_COMPLEX"}


async def test_unknown_fragment_gets_a_clear_validation_error(client, org):
    token = await token_of(client, org)
    reply = await gql(client, "{ ...Missing }", token=token)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}
    assert any("Unknown fragment" in e["message"] and "Missing" in e["message"] for e in reply.errors), reply.text


async def test_several_operations_without_an_operation_name_is_an_error(client, org):
    """GraphQL spec, GetOperation: with more than one operation and no name, a request error."""
    token = await token_of(client, org)
    reply = await gql(client, "query A { viewer { kind } } query B { organization { slug } }", token=token)
    assert reply.data is None and reply.codes <= {"GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"} and reply.errors, reply.text


# --- introspection ------------------------------------------------------------------------------


async def test_introspection_is_for_authenticated_callers(client, org):
    anonymous = ("{ __schema { types { name } } }", '{ __type(name: "Project") { name } }',
                 "{ ...F } fragment F on Query { __schema { queryType { name } } }",
                 "{ s: __schema { queryType { name } } }")
    for doc in anonymous:
        reply = await gql(client, doc)
        assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}, doc
    reply = await send(client, method="GET", params={"query": anonymous[0]})
    assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}
    reply = await gql(client, anonymous[0], token="garbage")
    assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}
    batch = await send(client, [{"query": anonymous[0]}, {"query": "{ __typename }"}])
    assert batch.body[0]["data"] is None and batch.body[0]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert batch.body[1]["data"] == {"__typename": "Query"}
    assert (await gql(client, "{ __typename }")).data == {"__typename": "Query"}

    token = await token_of(client, org)
    reply = await gql(client, anonymous[0], token=token)
    assert reply.errors == [] and any(t["name"] == "Project" for t in reply.data["__schema"]["types"])
    reply = await gql(client, anonymous[1], token=token)
    assert reply.data == {"__type": {"name": "Project"}}
