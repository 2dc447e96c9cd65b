"""Hostile and malformed input of every kind gets a clear error with a stable code: never a 500,
never a stack trace, never an error without `extensions.code`."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.conftest import PASSWORD, add_user

LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken errors { code message field } } }"
VIEWER = "{ viewer { kind } }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken errors { code message } } }"
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) { ok errors { code } } }"
CREATE_PROJECT = """mutation($i: CreateProjectInput!) { createProject(input: $i) {
  project { id } errors { code field message } } }"""


class Reply:
    """One checked response: its status, its parsed JSON and the codes of its errors."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.text = response.text
        self.body: Any = response.json()

    @property
    def items(self) -> list[dict]:
        return self.body if isinstance(self.body, list) else [self.body]

    @property
    def errors(self) -> list[dict]:
        return [e for item in self.items for e in (item.get("errors") or [])]

    @property
    def codes(self) -> set[str]:
        return {e["extensions"]["code"] for e in self.errors}

    @property
    def code(self) -> str:
        assert self.errors, self.text[:2000]
        return self.errors[0]["extensions"]["code"]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def empty(self) -> bool:
        """No data: none at all, or only nulls where a nullable root field failed."""
        return self.data is None or all(v is None for v in self.data.values())


def check(response: httpx.Response) -> Reply:
    """What every answer must satisfy, whatever was sent."""
    text = response.text
    assert response.status_code != 500, text[:2000]
    assert response.status_code < 500, text[:2000]
    assert "Traceback" not in text and 'File "' not in text, text[:2000]
    assert response.headers.get("content-type", "").startswith("application/json"), (response.status_code, text[:500])
    reply = Reply(response)
    assert isinstance(reply.body, (dict, list)), text[:500]
    for item in reply.items:
        assert isinstance(item, dict), text[:500]
        for error in item.get("errors") or []:
            assert error.get("message"), error
            assert (error.get("extensions") or {}).get("code"), error
            assert error["extensions"]["code"] != "INTERNAL", error
            assert "stacktrace" not in error["extensions"] and "exception" not in error["extensions"], error
    return reply


async def send(client: httpx.AsyncClient, body: Any = None, *, token: str | None = None, api_key: str | None = None,
               headers: dict[str, str] | None = None, raw: bytes | None = None, status: int | None = 200,
               method: str = "POST", params: dict[str, str] | None = None) -> Reply:
    """Posts to /graphql (a JSON body, or raw bytes) and checks the answer."""
    h = dict(headers or {})
    if token is not None:
        h["authorization"] = f"Bearer {token}"
    if api_key is not None:
        h["x-api-key"] = api_key
    if raw is not None:
        h.setdefault("content-type", "application/json")
        r = await client.request(method, "/graphql", content=raw, headers=h, params=params)
    elif method == "GET":
        r = await client.get("/graphql", headers={"accept": "application/json", **h}, params=params)
    else:
        r = await client.request(method, "/graphql", json=body, headers=h, params=params)
    reply = check(r)
    if status is not None:
        assert reply.status == status, (reply.status, reply.text[:2000])
    return reply


async def gql(client, query: str, variables: dict | None = None, **kw) -> Reply:
    return await send(client, {"query": query, "variables": variables or {}}, **kw)


async def login(client, org, username: str = "admin", password: str = PASSWORD) -> dict:
    reply = await gql(client, LOGIN, {"i": {"organization": org if isinstance(org, str) else org.slug,
                                            "username": username, "password": password}})
    return reply.data["login"]


async def token_of(client, org, username: str = "admin") -> str:
    payload = await login(client, org, username)
    assert payload["errors"] == [], payload
    return payload["accessToken"]


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


# --- ids and pages ------------------------------------------------------------------------------

PROJECT = "query($id: ID!) { project(id: $id) { code } }"


def cursor(raw: str) -> str:
    """A cursor in this API's envelope around an arbitrary value."""
    return base64.urlsafe_b64encode(("c1:" + raw).encode()).decode().rstrip("=")


async def test_bad_ids_are_validation_errors_and_foreign_ids_are_null(client, org, other_org):
    token = await token_of(client, org)
    for bad in ("not-base64!", "", "%%%", base64.b64encode(b"Project:not-a-uuid").decode(),
                base64.b64encode(b"no colon at all").decode(), base64.b64encode(b"\xff\xfe\xfd").decode(), "x" * 10_000):
        reply = await gql(client, PROJECT, {"id": bad}, token=token)
        assert reply.empty and reply.codes == {"VALIDATION"}, bad[:40]
        assert reply.errors[0]["extensions"].get("field") == "id"
    for wrong_type in (to_global_id("Organization", org.org_id), to_global_id("User", org.admin_id),
                       to_global_id("Case", org.projects["P1"])):
        reply = await gql(client, PROJECT, {"id": wrong_type}, token=token)
        assert reply.empty and reply.codes == {"VALIDATION"}
    foreign = to_global_id("Project", other_org.projects["P1"])
    assert (await gql(client, PROJECT, {"id": foreign}, token=token)).data == {"project": None}
    reply = await gql(client, "query($id: ID!) { node(id: $id) { id } }", {"id": foreign}, token=token)
    assert reply.data == {"node": None}
    reply = await gql(client, "query($id: ID!) { node(id: $id) { id } }", {"id": "not-base64!"}, token=token)
    assert reply.empty and reply.codes == {"VALIDATION"}
    reply = await gql(client, "query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id("Nothing", uuid.uuid4())}, token=token)
    assert reply.data == {"node": None}
    reply = await gql(client, '{ caseTimeline(caseId: "zz") { action } }', token=token)
    assert reply.data is None and reply.codes == {"VALIDATION"} and reply.errors[0]["extensions"]["field"] == "caseId"


async def test_bad_page_sizes_and_cursors_are_validation_errors(client, org):
    token = await token_of(client, org)
    for field in ("projects", "cases", "myQueue"):
        for args, name in (("first: 1000", "first"), ("first: 101", "first"), ("first: -1", "first"),
                           ('after: "%%%"', "after"), ('after: "not-a-cursor"', "after"), ('after: ""', "after")):
            reply = await gql(client, f"{{ {field}({args}) {{ totalCount }} }}", token=token)
            assert reply.data is None and reply.codes == {"VALIDATION"}, (field, args)
            assert reply.errors[0]["extensions"]["field"] == name
    reply = await gql(client, "{ organization { users(first: 1000) { totalCount } } }", token=token)
    assert reply.data is None and reply.codes == {"VALIDATION"}
    reply = await gql(client, "{ projects(first: 1) { pageInfo { endCursor } } }", token=token)
    good = reply.data["projects"]["pageInfo"]["endCursor"]
    assert (await gql(client, "query($a: String) { projects(after: $a) { totalCount } }", {"a": good}, token=token)).errors == []


@pytest.mark.parametrize("query,raw", [
    ("{ cases(after: $a) { totalCount } }", "2026-01-01T00:00:00+00:00|not-a-uuid"),
    ("{ cases(after: $a) { totalCount } }", "2026-01-01T00:00:00+00:00|\u0000"),
    ("{ projects(after: $a) { totalCount } }", "P\u0000"),
    ("{ organization { users(after: $a) { totalCount } } }", "admin\u0000"),
], ids=["case-cursor-bad-uuid", "case-cursor-nul", "project-cursor-nul", "user-cursor-nul"])
async def test_tampered_cursors_are_validation_errors(client, org, query, raw):
    token = await token_of(client, org)
    reply = await gql(client, "query($a: String) " + query, {"a": cursor(raw)}, token=token)
    assert reply.data is None and reply.codes == {"VALIDATION"}, reply.text


# --- mutation input -----------------------------------------------------------------------------


@pytest.mark.parametrize("field,value,expected", [
    ("name", "", "VALIDATION"),
    ("name", "   ", "VALIDATION"),
    ("name", "名" * 300, "VALIDATION"),
    ("code", "", "VALIDATION"),
    ("code", "no spaces!", "VALIDATION"),
    ("code", "X" * 17, "VALIDATION"),
    ("code", "-LEADING", "VALIDATION"),
    ("code", "P1", "CONFLICT"),
    ("code", "p1", "CONFLICT"),
    ("households", -1, "VALIDATION"),
    ("households", 1_000_001, "VALIDATION"),
    ("city", "城" * 101, "VALIDATION"),
    ("address", "址" * 301, "VALIDATION"),
])
async def test_create_project_errors_carry_code_and_field(client, org, owner_engine, field, value, expected):
    token = await token_of(client, org)
    data = {"code": "NEW1", "name": "新项目", "propertyType": "OFFICE", field: value}
    reply = await gql(client, CREATE_PROJECT, {"i": data}, token=token)
    payload = reply.data["createProject"]
    assert payload["project"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(expected, field)]
    assert payload["errors"][0]["message"]
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM projects WHERE org_id = :o"), {"o": org.org_id})).scalar() == 2


async def test_user_role_and_key_input_errors(client, org):
    token = await token_of(client, org)
    user_q = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } errors { code field message } } }"
    cases = [
        ({"username": "new.user", "displayName": "新用户", "password": "short"}, "VALIDATION", "password"),
        ({"username": "new.user", "displayName": "新用户", "password": "p" * 257}, "VALIDATION", "password"),
        ({"username": "admin", "displayName": "x", "password": PASSWORD}, "CONFLICT", "username"),
        ({"username": " ADMIN ", "displayName": "x", "password": PASSWORD}, "CONFLICT", "username"),
        ({"username": "张三", "displayName": "x", "password": PASSWORD}, "VALIDATION", "username"),
        ({"username": "u" * 65, "displayName": "x", "password": PASSWORD}, "VALIDATION", "username"),
        ({"username": "new.user", "displayName": "", "password": PASSWORD}, "VALIDATION", "displayName"),
        ({"username": "new.user", "displayName": "x", "password": PASSWORD, "staffId": "bad"}, "VALIDATION", "staffId"),
        ({"username": "new.user", "displayName": "x", "password": PASSWORD,
          "staffId": to_global_id("Staff", uuid.uuid4())}, "NOT_FOUND", "staffId"),
    ]
    for data, expected, field in cases:
        payload = (await gql(client, user_q, {"i": data}, token=token)).data["createUser"]
        assert payload["user"] is None and [(e["code"], e["field"]) for e in payload["errors"]] == [(expected, field)], data

    role_q = "mutation($i: AssignRoleInput!) { assignRole(input: $i) { assignmentId errors { code field } } }"
    admin_id, p1 = to_global_id("User", org.admin_id), to_global_id("Project", org.projects["P1"])
    for data, expected, field in (
        ({"userId": admin_id, "role": "HQ_SUPERVISOR", "projectId": p1}, "VALIDATION", "projectId"),
        ({"userId": admin_id, "role": "TECHNICIAN"}, "VALIDATION", "projectId"),
        ({"userId": admin_id, "role": "TECHNICIAN", "projectId": admin_id}, "VALIDATION", "projectId"),
        ({"userId": "bad", "role": "TECHNICIAN", "projectId": p1}, "VALIDATION", "userId"),
        ({"userId": to_global_id("User", uuid.uuid4()), "role": "TECHNICIAN", "projectId": p1}, "NOT_FOUND", "userId"),
        ({"userId": admin_id, "role": "ORG_ADMIN"}, "CONFLICT", "role"),
    ):
        payload = (await gql(client, role_q, {"i": data}, token=token)).data["assignRole"]
        assert payload["assignmentId"] is None and [(e["code"], e["field"]) for e in payload["errors"]] == [(expected, field)], data

    key_q = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code field } } }"
    for data, field in (({"name": "k", "expiresAt": "2020-01-01T00:00:00+00:00"}, "expiresAt"),
                        ({"name": "k", "projectIds": []}, "projectIds"),
                        ({"name": "k", "projectIds": ["bad"]}, "projectIds"),
                        ({"name": ""}, "name"),
                        ({"name": "k" * 101}, "name")):
        payload = (await gql(client, key_q, {"i": data}, token=token)).data["createApiKey"]
        assert payload["secret"] is None and [(e["code"], e["field"]) for e in payload["errors"]] == [("VALIDATION", field)], data


async def test_api_key_expiry_without_a_time_zone_is_refused(client, org):
    """A time without an offset could be Beijing time or UTC; it is refused, not guessed."""
    token = await token_of(client, org)
    key_q = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret errors { code field } } }"
    reply = await gql(client, key_q, {"i": {"name": "k", "expiresAt": "2099-01-01T00:00:00"}}, token=token)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}
    assert "+08:00" in reply.errors[0]["message"], reply.text
    reply = await gql(client, key_q, {"i": {"name": "k", "expiresAt": "2099-01-01T00:00:00+08:00"}}, token=token)
    assert reply.data["createApiKey"]["secret"] and reply.data["createApiKey"]["errors"] == []


async def test_commitment_without_a_time_zone_is_refused(client, desk):
    from tests.api.conftest import REGISTER, case_input

    agent, supervisor = desk["agent"][1], desk["sup"][1]
    case_id = (await gql(client, REGISTER, {"i": case_input(desk)}, token=agent)).data["registerCase"]["case"]["id"]
    commit = "mutation($c: ID!, $d: DateTime) { commitCase(caseId: $c, due: $d) { case { state } errors { code field } } }"
    reply = await gql(client, commit, {"c": case_id, "d": "2099-01-01T00:00:00"}, token=supervisor)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}
    reply = await gql(client, commit, {"c": case_id, "d": "2020-01-01T00:00:00+00:00"}, token=supervisor)
    assert reply.data["commitCase"]["errors"][0]["code"] in ("VALIDATION", "INVALID_STATE")


# --- text the database cannot store -------------------------------------------------------------

NUL_REFUSED = "Text input may not contain the NUL character"

_ADMIN_TEXT = {
    "createProject name": "mutation($v: String!) { createProject(input: {code: \"NUL\", name: $v, propertyType: OFFICE}) "
                          "{ errors { code field } } }",
    "createUser displayName": "mutation($v: String!) { createUser(input: {username: \"nul.user\", displayName: $v, "
                              "password: \"long-enough-1\"}) { errors { code field } } }",
    "createApiKey name": "mutation($v: String!) { createApiKey(input: {name: $v}) { errors { code field } } }",
    "createStaff name": "mutation($v: String!) { createStaff(input: {name: $v}) { errors { code field } } }",
}


@pytest.mark.parametrize("case", list(_ADMIN_TEXT), ids=lambda c: c.replace(" ", "-"))
async def test_nul_character_in_text_input_is_refused_before_anything_runs(client, org, owner_engine, case):
    token = await token_of(client, org)
    before = await _row_counts(owner_engine)
    for variables, query in (({"v": "前台\u0000后台"}, _ADMIN_TEXT[case]),
                             (None, _ADMIN_TEXT[case].replace("$v: String!", "").replace("$v", '"前台\\u0000后台"').replace("()", ""))):
        reply = await gql(client, query, variables, token=token)
        assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}, reply.text
        assert NUL_REFUSED in reply.errors[0]["message"]
    assert await _row_counts(owner_engine) == before


async def _row_counts(engine) -> tuple:
    async with engine.connect() as conn:
        return [(await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar()
                for t in ("projects", "users", "api_keys", "staff", "audit_log")]


@pytest.mark.parametrize("field", ["organization", "username", "password"])
async def test_nul_in_login_is_refused_like_any_other_text(client, org, field):
    values = {"organization": org.slug, "username": "admin", "password": PASSWORD, field: "adm\u0000in"}
    reply = await gql(client, LOGIN, {"i": values})
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize("field", ["organization", "username", "password"])
async def test_unpaired_surrogate_is_refused_as_bad_json(client, org, field):
    """json.dumps escapes the surrogate as a browser's JSON.stringify would; it is not UTF-8 text."""
    values = {"organization": org.slug, "username": "admin", "password": PASSWORD, field: "adm\ud800in"}
    reply = await send(client, raw=json.dumps({"query": LOGIN, "variables": {"i": values}}).encode(), status=400)
    assert reply.code == "BAD_REQUEST" and "surrogate" in reply.errors[0]["message"]


async def test_unpaired_surrogate_in_a_refresh_token_is_refused(client, org):
    version, org_hex, token_hex, _ = (await login(client, org))["refreshToken"].split(".")
    odd = f"{version}.{org_hex}.{token_hex}.\ud800"
    for query in (REFRESH, LOGOUT):
        reply = await send(client, raw=json.dumps({"query": query, "variables": {"t": odd}}).encode(), status=400)
        assert reply.code == "BAD_REQUEST"
    # An escaped surrogate inside the document itself is a parse error.
    reply = await gql(client, 'mutation { logout(refreshToken: "x\\ud800") { ok } }')
    assert reply.data is None and reply.codes == {"GRAPHQL_PARSE_FAILED"}, reply.text


async def test_nul_character_in_a_case_filter_is_refused(client, org):
    token = await token_of(client, org)
    reply = await gql(client, "query($c: String) { cases(filter: {category: $c}) { totalCount } }", {"c": "\u0000"}, token=token)
    assert reply.data is None and reply.codes == {"GRAPHQL_VALIDATION_FAILED"}, reply.text


# --- permissions --------------------------------------------------------------------------------


async def test_callers_without_the_permission_get_forbidden_and_anonymous_get_unauthenticated(client, org, owner_engine):
    data = {"i": {"code": "Z1", "name": "z", "propertyType": "OFFICE"}}
    reply = await gql(client, CREATE_PROJECT, data)
    assert reply.data is None and reply.codes == {"UNAUTHENTICATED"}
    for query in (VIEWER, "{ organization { slug } }", "{ projects { totalCount } }", "{ cases { totalCount } }",
                  '{ node(id: "x") { id } }'):
        reply = await gql(client, query)
        assert reply.empty and reply.codes == {"UNAUTHENTICATED"}, query

    await add_user(owner_engine, org, "agent1", "cs_agent", "P1")
    agent = await token_of(client, org, "agent1")
    reply = await gql(client, CREATE_PROJECT, data, token=agent)
    assert reply.data is None and reply.codes == {"FORBIDDEN"} and "project:create" in reply.errors[0]["message"]
    for query, variables in (
        ("mutation($i: CreateUserInput!) { createUser(input: $i) { errors { code } } }",
         {"i": {"username": "x1", "displayName": "x", "password": PASSWORD}}),
        ('mutation { createApiKey(input: {name: "x"}) { errors { code } } }', None),
        ("{ organization { apiKeys { id } } }", None),
    ):
        reply = await gql(client, query, variables, token=agent)
        assert reply.data is None and reply.codes == {"FORBIDDEN"}, query
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM projects WHERE org_id = :o"), {"o": org.org_id})).scalar() == 2
