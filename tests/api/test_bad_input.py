"""Hostile and malformed values inside well-formed requests get a clear error with a stable code:
ids and cursors, mutation input, text the database cannot store, and callers without the
permission. Never a 500, never a stack trace (tests/api/_bad_input.py `check`)."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._bad_input import CREATE_PROJECT, LOGIN, LOGOUT, REFRESH, VIEWER, gql, login, send, token_of
from tests.conftest import PASSWORD, add_user

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
